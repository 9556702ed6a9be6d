// The sandbox plays Salesforce's OAuth dialect: the shared dialect checks
// (tests/support/sandbox-oauth.ts) and Salesforce's own quirks (instance URLs, the identity
// service's 403, no expiry). (Moved from tests/integration/sandbox.test.ts.)
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sandboxClient } from '@/tests/sandbox/server';
import { describeOAuthDialect, oauthKit, REDIRECT_URI, type Json, type OAuthSpec } from '@/tests/support/sandbox-oauth';

const kit = oauthKit();
const { bearerGet, codeFor, connect, encode, exchange, newVerifier, refresh, sb } = kit;

const identityResponse = (tokens: Json) => bearerGet(`${tokens.instance_url as string}/services/oauth2/userinfo`, tokens.access_token as string);

const spec: OAuthSpec = {
  id: 'salesforce',
  authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
  tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
  encoding: 'form',
  sendsSecret: true,
  authorizeParams: { response_type: 'code', scope: 'api refresh_token' },
  async identify(tokens) {
    const res = await identityResponse(tokens);
    if (!res.ok) return { status: res.status };
    const body = (await res.json()) as Json;
    expect(body.sub).toBe(`https://login.salesforce.com/id/${body.organization_id}/${body.user_id}`);
    return { status: res.status, accountId: body.organization_id as string };
  },
  identityResponse,
  unauthenticatedStatus: 403,
  tokenExtras: () => ({ instance_url: `${kit.sandbox.url}/acme-sandbox.my.salesforce.com` }),
  checkCodeAnswer(body) {
    expect(body).toEqual({
      access_token: expect.stringMatching(/^sbx_at_salesforce_/),
      refresh_token: expect.stringMatching(/^sbx_rt_salesforce_/),
      signature: expect.any(String),
      scope: 'api refresh_token',
      instance_url: `${kit.sandbox.url}/acme-sandbox.my.salesforce.com`,
      id: 'https://login.salesforce.com/id/00DSBX0000000001/005SBX0000000001',
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d{13}$/),
    });
    const expected = crypto
      .createHmac('sha256', sandboxClient('salesforce').clientSecret)
      .update(`${body.id}${body.issued_at}`)
      .digest('base64');
    expect(body.signature).toBe(expected);
  },
  checkRefreshAnswer(body) {
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('expires_in');
    expect(body.instance_url).toBe(`${kit.sandbox.url}/acme-sandbox.my.salesforce.com`);
  },
};

describeOAuthDialect(kit, spec);

describe('provider sandbox: provider specifics', () => {
  it('Salesforce: a token is refused on the other org’s instance host, with 403 Bad_OAuth_Token', async () => {
    const tokens = await connect(spec);
    const res = await bearerGet(`${kit.sandbox.url}/globex-sandbox.my.salesforce.com/services/oauth2/userinfo`, tokens.access_token as string);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Bad_OAuth_Token');
  });

  it('Salesforce: instance_url follows the Host the caller used', async () => {
    const salesforce = spec;
    const verifier = newVerifier();
    const code = await codeFor(salesforce, verifier);
    const localhost = kit.sandbox.url.replace('127.0.0.1', 'localhost');
    const client = sandboxClient('salesforce');
    const res = await fetch(
      `${localhost}/login.salesforce.com/services/oauth2/token`,
      encode('form', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret }),
    );
    expect(((await res.json()) as Json).instance_url).toBe(`${localhost}/acme-sandbox.my.salesforce.com`);
  });

  it('Salesforce: no refresh token without the refresh_token scope; rotation only when the knob says so', async () => {
    const salesforce = spec;
    const verifier = newVerifier();
    const apiOnly = await exchange(salesforce, await codeFor(salesforce, verifier, { scope: 'api' }), verifier);
    expect(apiOnly.body).not.toHaveProperty('refresh_token');

    kit.sandbox.setKnobs({ rotateRefreshTokens: { salesforce: true } });
    const tokens = await connect(salesforce);
    const rotated = await refresh(salesforce, tokens.refresh_token as string);
    expect(rotated.body.refresh_token).toMatch(/^sbx_rt_salesforce_/);
    expect((await refresh(salesforce, tokens.refresh_token as string)).body.error).toBe('invalid_grant');
  });

  it('Salesforce: revoking the refresh token ends its sessions', async () => {
    const salesforce = spec;
    const tokens = await connect(salesforce);
    const res = await fetch(sb('https://login.salesforce.com/services/oauth2/revoke'), encode('form', { token: tokens.refresh_token as string }));
    expect(res.status).toBe(200);
    expect((await salesforce.identify(tokens)).status).toBe(403);
  });
});
