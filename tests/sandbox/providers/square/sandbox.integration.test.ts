// The sandbox plays Square's OAuth dialect (its PKCE flow): the shared dialect checks
// (tests/support/sandbox-oauth.ts) and Square's own (JSON bodies, its error envelope,
// Square-Version, rotating refresh tokens, Client-authorized revocation).
// (Moved from tests/integration/sandbox.test.ts.)
import { describe, expect, it } from 'vitest';
import { sandboxClient } from '@/tests/sandbox/server';
import { describeOAuthDialect, oauthKit, type Json, type OAuthSpec } from '@/tests/support/sandbox-oauth';

const SQUARE_VERSION = '2025-10-16';
const kit = oauthKit();
const { authorizeUrl, bearerGet, connect, exchange, newVerifier, refresh, sb, tokenRequest } = kit;

const identityResponse = (tokens: Json) =>
  bearerGet(sb('https://connect.squareup.com/v2/merchants/me'), tokens.access_token as string, {
    'Square-Version': SQUARE_VERSION,
  });

const spec: OAuthSpec = {
  id: 'square',
  authorizeUrl: 'https://connect.squareup.com/oauth2/authorize',
  tokenUrl: 'https://connect.squareup.com/oauth2/token',
  encoding: 'json',
  sendsSecret: false,
  authorizeParams: { scope: 'MERCHANT_PROFILE_READ CUSTOMERS_READ', session: 'false' },
  async identify(tokens) {
    const res = await identityResponse(tokens);
    const body = (await res.json()) as { merchant?: Json };
    if (res.ok) expect(body.merchant).toMatchObject({ country: 'GB', language_code: 'en-GB', currency: 'GBP', status: 'ACTIVE' });
    return { status: res.status, accountId: body.merchant?.id as string | undefined };
  },
  identityResponse,
  unauthenticatedStatus: 401,
  badVerifierStatus: 401,
  // Square's PKCE flow: the old refresh token dies with the refresh.
  rotates: true,
  checkCodeAnswer(body) {
    expect(body).toEqual({
      access_token: expect.stringMatching(/^sbx_at_square_/),
      token_type: 'bearer',
      expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      merchant_id: 'MLSBX0000000001',
      refresh_token: expect.stringMatching(/^sbx_rt_square_/),
      short_lived: false,
      refresh_token_expires_at: expect.any(String),
    });
    const days = (Date.parse(body.expires_at as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  },
  checkRefreshAnswer(body, refreshToken) {
    expect(body.refresh_token).toMatch(/^sbx_rt_square_/);
    expect(body.refresh_token).not.toBe(refreshToken);
  },
};

describeOAuthDialect(kit, spec);

describe('provider sandbox: provider specifics', () => {
  it('Square: PKCE is required at authorize; code_challenge_method may be left out (S256 implied)', async () => {
    const square = spec;
    const noPkce = new URL(authorizeUrl(square));
    noPkce.searchParams.delete('code_challenge');
    noPkce.searchParams.delete('code_challenge_method');
    expect((await fetch(noPkce, { redirect: 'manual' })).status).toBe(400);
    const verifier = newVerifier();
    const implied = new URL(authorizeUrl(square, {}, verifier));
    implied.searchParams.delete('code_challenge_method');
    kit.sandbox.knobs.autoApprove = true;
    const res = await fetch(implied, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
    expect((await exchange(square, code, verifier)).status).toBe(200);
  });

  it('Square: a form body is refused; errors carry the Square envelope and the OAuth error', async () => {
    const square = spec;
    const wrong = await tokenRequest(square, { grant_type: 'refresh_token', refresh_token: 'x' }, 'form');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ errors: [{ category: 'INVALID_REQUEST_ERROR' }], error: 'invalid_request' });
    const bad = await refresh(square, 'sbx_rt_square_nope');
    expect(bad.body).toMatchObject({ errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }], error: 'invalid_grant' });
  });

  it('Square: /v2 calls need Square-Version; expired tokens say ACCESS_TOKEN_EXPIRED', async () => {
    const tokens = await connect(spec);
    const noVersion = await bearerGet(sb('https://connect.squareup.com/v2/merchants/me'), tokens.access_token as string);
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ errors: [{ category: 'INVALID_REQUEST_ERROR', field: 'Square-Version' }] });
    kit.sandbox.setKnobs({ accessTokenTtlSeconds: 0 });
    const expired = await connect(spec);
    const res = await bearerGet(sb('https://connect.squareup.com/v2/merchants/me'), expired.access_token as string, { 'Square-Version': SQUARE_VERSION });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errors: [{ category: 'AUTHENTICATION_ERROR', code: 'ACCESS_TOKEN_EXPIRED' }] });
  });

  it('Square: revocation needs `Authorization: Client <secret>` and revokes the seller’s tokens', async () => {
    const square = spec;
    const tokens = await connect(square);
    const client = sandboxClient('square');
    const revoke = (authorization?: string) =>
      fetch(sb('https://connect.squareup.com/oauth2/revoke'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ client_id: client.clientId, access_token: tokens.access_token }),
      });
    expect((await revoke()).status).toBe(401);
    expect((await revoke('Client wrong')).status).toBe(401);
    const res = await revoke(`Client ${client.clientSecret}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect((await square.identify(tokens)).status).toBe(401);
    expect((await refresh(square, tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    expect(kit.sandbox.stats().revocations.square).toBe(3);
  });
});
