// The sandbox plays Fresha's OAuth dialect (the product spec's): the shared dialect checks
// (tests/support/sandbox-oauth.ts) and its revocation. (Moved from tests/integration/sandbox.test.ts.)
import { describe, expect, it } from 'vitest';
import { describeOAuthDialect, oauthKit, type Json, type OAuthSpec } from '@/tests/support/sandbox-oauth';

const kit = oauthKit();
const { bearerGet, connect, encode, sb } = kit;

const identityResponse = (tokens: Json) => bearerGet(sb('https://api.fresha.com/v2/me'), tokens.access_token as string);

const spec: OAuthSpec = {
  id: 'fresha',
  authorizeUrl: 'https://connect.fresha.com/oauth/authorize',
  tokenUrl: 'https://connect.fresha.com/oauth/token',
  encoding: 'form',
  sendsSecret: true,
  authorizeParams: { response_type: 'code', scope: 'clients:read appointments:read' },
  async identify(tokens) {
    const res = await identityResponse(tokens);
    const body = (await res.json()) as { business?: Json };
    if (res.ok) expect(body.business).toMatchObject({ country: 'GB', timezone: 'Europe/London' });
    return { status: res.status, accountId: body.business?.id as string | undefined };
  },
  identityResponse,
  unauthenticatedStatus: 401,
  checkCodeAnswer(body) {
    expect(body).toEqual({
      access_token: expect.stringMatching(/^sbx_at_fresha_/),
      refresh_token: expect.stringMatching(/^sbx_rt_fresha_/),
      expires_in: 3600,
      token_type: 'Bearer',
    });
  },
  checkRefreshAnswer(body, refreshToken) {
    expect(body.refresh_token).toBe(refreshToken);
  },
};

describeOAuthDialect(kit, spec);

describe('provider sandbox: provider specifics', () => {
  it('Fresha: revoking the refresh token ends the grant', async () => {
    const fresha = spec;
    const tokens = await connect(fresha);
    const res = await fetch(sb('https://connect.fresha.com/oauth/revoke'), encode('form', { token: tokens.refresh_token as string }));
    expect(res.status).toBe(200);
    expect((await fresha.identify(tokens)).status).toBe(401);
  });
});
