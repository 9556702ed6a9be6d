// The sandbox plays the Microsoft identity platform's OAuth dialect (the shared dialect checks in
// tests/support/sandbox-oauth.ts) and its own quirks: a refresh token only with offline_access,
// rotated on every refresh, and AADSTS-coded errors.
import { describe, expect, it } from 'vitest';
import { describeOAuthDialect, oauthKit, type Json, type OAuthSpec } from '@/tests/support/sandbox-oauth';

const kit = oauthKit();
const { bearerGet, codeFor, exchange, newVerifier, tokenRequest, sb } = kit;

const identityResponse = (tokens: Json) => bearerGet(sb('https://graph.microsoft.com/v1.0/me'), tokens.access_token as string);
const SCOPE = 'offline_access User.Read Calendars.ReadWrite';

const spec: OAuthSpec = {
  id: 'outlook',
  authorizeUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  encoding: 'form',
  sendsSecret: true,
  authorizeParams: { response_type: 'code', scope: SCOPE },
  async identify(tokens) {
    const res = await identityResponse(tokens);
    const body = (await res.json()) as Json;
    if (res.ok) expect(body).toMatchObject({ mail: expect.stringContaining('@sandbox.example'), displayName: expect.any(String) });
    return { status: res.status, accountId: body.id as string | undefined };
  },
  identityResponse,
  unauthenticatedStatus: 401,
  rotates: true,
  // AADSTS70000 / 70008 (a redeemed or expired refresh token) come as 400 invalid_grant.
  rotatedRefreshStatus: 400,
  checkCodeAnswer(body) {
    expect(body).toEqual({
      token_type: 'Bearer',
      scope: SCOPE,
      expires_in: 4620,
      ext_expires_in: 4620,
      access_token: expect.stringMatching(/^sbx_at_outlook_/),
      refresh_token: expect.stringMatching(/^sbx_rt_outlook_/),
    });
  },
  checkRefreshAnswer(body, refreshToken) {
    // Every refresh answer carries a new refresh token.
    expect(body.refresh_token).toEqual(expect.stringMatching(/^sbx_rt_outlook_/));
    expect(body.refresh_token).not.toBe(refreshToken);
  },
};

describeOAuthDialect(kit, spec);

describe('provider sandbox: Microsoft specifics', () => {
  it('issues no refresh token without offline_access', async () => {
    const verifier = newVerifier();
    const { body } = await exchange(spec, await codeFor(spec, verifier, { scope: 'User.Read Calendars.ReadWrite' }), verifier);
    expect(body).toHaveProperty('access_token');
    expect(body).not.toHaveProperty('refresh_token');
  });

  it('answers token errors with AADSTS codes beside the OAuth error', async () => {
    const { status, body } = await tokenRequest(spec, { grant_type: 'refresh_token', refresh_token: 'nope' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [70000], error_description: expect.stringMatching(/^AADSTS70000: /) });
  });
});
