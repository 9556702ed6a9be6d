// Google Calendar's OAuth dialect: its authorize URL, token request and token response.
// (Moved from tests/unit/providers.test.ts.)
import { describe, expect, it } from 'vitest';
import { authorizeParams, grant, handshake, parseTokens, tokenRequest } from '@/tests/support/oauth-dialect';

const parse = parseTokens;

describe('authorize URLs', () => {
  it('Google: offline access with forced consent, PKCE S256, calendar scope', () => {
    const { origin, params } = authorizeParams('google-calendar');
    expect(origin).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'client-123',
      redirect_uri: handshake.redirectUri,
      state: 'state-abc',
      code_challenge: 'challenge-xyz',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      scope: 'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events',
    });
  });
});

describe('token requests', () => {
  it('form-encodes with the client secret in the body for Google', () => {
    const request = tokenRequest('google-calendar');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ client_id: 'client-123', client_secret: 'secret-456', ...grant });
    expect(request.url).toBe('https://oauth2.googleapis.com/token');
  });
});

describe('token responses', () => {
  it('Google: expiry from expires_in; a refresh answer keeps the old refresh token', () => {
    const first = parse('google-calendar', { access_token: 'a1', refresh_token: 'r1', expires_in: 3599, scope: 's1 s2', token_type: 'Bearer' });
    expect(first).toEqual({ accessToken: 'a1', refreshToken: 'r1', expiresAt: '2026-11-22T12:59:59.000Z', scopes: ['s1', 's2'], extra: undefined });
    const refreshed = parse('google-calendar', { access_token: 'a2', expires_in: 3599, token_type: 'Bearer' }, first);
    expect(refreshed.refreshToken).toBe('r1');
    expect(refreshed.accessToken).toBe('a2');
  });
});
