// Square's OAuth dialect (its PKCE flow): its authorize URL, token request and token response.
// (Moved from tests/unit/providers.test.ts.)
import { describe, expect, it } from 'vitest';
import { oauthSettings } from '@/lib/oauth/token-endpoint';
import { authorizeParams, grant, parseTokens, provider, tokenRequest } from '@/tests/support/oauth-dialect';

const parse = parseTokens;

describe('authorize URLs', () => {
  it('Square: its own host and scopes', () => {
    expect(authorizeParams('square')).toMatchObject({
      origin: 'https://connect.squareup.com/oauth2/authorize',
      params: { session: 'false', code_challenge: 'challenge-xyz' },
    });
  });
});

describe('token requests', () => {
  it('sends Square JSON without the client secret (PKCE flow)', () => {
    const request = tokenRequest('square');
    expect(request.url).toBe('https://connect.squareup.com/oauth2/token');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ client_id: 'client-123', ...grant });
  });
});

describe('token responses', () => {
  it('Square: expires_at is an ISO string; merchant id kept; rotation replaces the refresh token', () => {
    const tokens = parse('square', { access_token: 'a', refresh_token: 'r2', expires_at: '2026-12-22T12:00:00Z', merchant_id: 'M1', token_type: 'bearer' });
    expect(tokens).toMatchObject({ expiresAt: '2026-12-22T12:00:00.000Z', refreshToken: 'r2', extra: { merchantId: 'M1' } });
    expect(oauthSettings(provider('square')).refreshTokenRotates).toBe(true);
  });
});
