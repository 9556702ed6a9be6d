// Outlook's OAuth dialect: the Microsoft identity platform's authorize URL, token request and
// token response (rotating refresh tokens).
import { describe, expect, it } from 'vitest';
import { outlook } from '@/lib/providers/outlook';
import { describeGraphError } from '@/lib/providers/outlook/graph';
import { authorizeParams, grant, handshake, parseTokens, tokenRequest } from '@/tests/support/oauth-dialect';

describe('Outlook definition', () => {
  it('authorizes at /common/oauth2/v2.0 with PKCE S256 and offline_access', () => {
    const { origin, params } = authorizeParams('outlook');
    expect(origin).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'client-123',
      redirect_uri: handshake.redirectUri,
      state: 'state-abc',
      code_challenge: 'challenge-xyz',
      code_challenge_method: 'S256',
      scope: 'offline_access User.Read Calendars.ReadWrite',
    });
  });

  it('form-encodes token requests with the client secret', () => {
    const request = tokenRequest('outlook');
    expect(request.url).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/token');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ client_id: 'client-123', client_secret: 'secret-456', ...grant });
  });

  it('keeps the newest refresh token of every answer (they rotate)', () => {
    const first = parseTokens('outlook', { token_type: 'Bearer', scope: 'User.Read', expires_in: 4620, ext_expires_in: 4620, access_token: 'a1', refresh_token: 'r1' });
    expect(first).toMatchObject({ accessToken: 'a1', refreshToken: 'r1', expiresAt: '2026-11-22T13:17:00.000Z' });
    const refreshed = parseTokens('outlook', { token_type: 'Bearer', expires_in: 4620, access_token: 'a2', refresh_token: 'r2' }, first);
    expect(refreshed).toMatchObject({ accessToken: 'a2', refreshToken: 'r2' });
    expect(outlook.auth.kind === 'oauth2' && outlook.auth.refreshTokenRotates).toBe(true);
  });

  it('refuses hosts that are not Microsoft’s, and describes Graph errors with their code', () => {
    expect(['login.microsoftonline.com', 'graph.microsoft.com'].every(outlook.allowedHosts)).toBe(true);
    expect(outlook.allowedHosts('graph.microsoft.com.evil.example')).toBe(false);
    expect(describeGraphError({ error: { code: 'syncStateNotFound', message: 'The sync state generation is not found.' } })).toBe(
      'The sync state generation is not found. (syncStateNotFound)',
    );
    expect(describeGraphError({ nothing: 1 })).toBeUndefined();
  });
});
