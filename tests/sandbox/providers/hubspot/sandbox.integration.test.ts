// The sandbox plays HubSpot's OAuth dialect: the shared dialect checks
// (tests/support/sandbox-oauth.ts) and HubSpot's own (token introspection, its error envelope).
// (Moved from tests/integration/sandbox.test.ts.)
import { describe, expect, it } from 'vitest';
import { sandboxClient } from '@/tests/sandbox/server';
import { describeOAuthDialect, oauthKit, type Json, type OAuthSpec } from '@/tests/support/sandbox-oauth';

const kit = oauthKit();
const { connect, encode, refresh, sb } = kit;

async function hubspotIntrospect(token: string) {
  const client = sandboxClient('hubspot');
  return fetch(sb('https://api.hubapi.com/oauth/2026-03/token/introspect'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, token, token_type_hint: 'access_token' }),
  });
}

const spec: OAuthSpec = {
  id: 'hubspot',
  authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
  tokenUrl: 'https://api.hubapi.com/oauth/2026-03/token',
  encoding: 'form',
  sendsSecret: true,
  authorizeParams: { scope: 'oauth crm.objects.contacts.read' },
  async identify(tokens) {
    const res = await hubspotIntrospect(tokens.access_token as string);
    const body = (await res.json()) as Json;
    if (!body.active) return { status: 401 };
    expect(body).toMatchObject({ token_use: 'access_token', client_id: 'sandbox-hubspot', app_id: 990001, token_type: 'bearer' });
    return { status: res.status, accountId: String(body.hub_id) };
  },
  identityResponse: (tokens) => hubspotIntrospect(tokens.access_token as string),
  unauthenticatedStatus: 401,
  invalidClientStatus: 400,
  checkCodeAnswer(body) {
    expect(body).toMatchObject({
      access_token: expect.stringMatching(/^sbx_at_hubspot_/),
      refresh_token: expect.stringMatching(/^sbx_rt_hubspot_/),
      expires_in: 1800,
      token_type: 'bearer',
    });
  },
  checkRefreshAnswer(body, refreshToken) {
    expect(body.refresh_token).toBe(refreshToken);
    expect(body.expires_in).toBe(1800);
  },
};

describeOAuthDialect(kit, spec);

describe('provider sandbox: provider specifics', () => {
  it('HubSpot: introspection reports unknown tokens inactive and refuses a wrong client with BAD_CLIENT_ID', async () => {
    expect(await (await hubspotIntrospect('sbx_at_hubspot_unknown')).json()).toEqual({ active: false });
    const res = await fetch(sb('https://api.hubapi.com/oauth/2026-03/token/introspect'), encode('form', { client_id: 'sandbox-hubspot', client_secret: 'no', token: 'x' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'BAD_CLIENT_ID', category: 'VALIDATION_ERROR', error: 'invalid_client', correlationId: expect.any(String) });
  });

  it('HubSpot: a bad refresh token is BAD_REFRESH_TOKEN; revoking the refresh token kills it', async () => {
    const hubspot = spec;
    const bad = await refresh(hubspot, 'sbx_rt_hubspot_nope');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN', error: 'invalid_grant', message: expect.any(String) });
    const tokens = await connect(hubspot);
    const client = sandboxClient('hubspot');
    const res = await fetch(
      sb('https://api.hubapi.com/oauth/2026-03/token/revoke'),
      encode('form', { client_id: client.clientId, client_secret: client.clientSecret, token: tokens.refresh_token as string, token_type_hint: 'refresh_token' }),
    );
    expect(res.status).toBe(200);
    expect((await refresh(hubspot, tokens.refresh_token as string)).body.status).toBe('BAD_REFRESH_TOKEN');
  });
});
