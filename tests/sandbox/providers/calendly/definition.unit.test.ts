// Calendly's definition: its OAuth dialect (rotating refresh tokens; the token answer's owner and
// organization kept for later calls), the hosts it may call, its error sentences, and no reschedule.
import { describe, expect, it } from 'vitest';
import { calendly } from '@/lib/providers/calendly';

const NOW = new Date('2026-11-01T12:00:00Z');
// The fields of Calendly's token answer (developer.calendly.com, "Get access token"); the values are made up.
const ANSWER = {
  token_type: 'Bearer',
  access_token: 'eyJraWQiOiIxY2UxZTEzNjE3ZGNmNzY2YjNjZWJjY2Y4ZGM1YmFmYThhNjVlNjg0MDIzZjdjMzJiZTgzNDliMjM4MDEzNWI0',
  refresh_token: 'b77a76ffce83d3bc20531ddfa76704e584f0ee963f6041b8bcc70076f2b0c5e1',
  scope: 'users:read event_types:read',
  created_at: 1548689183,
  expires_in: 7200,
  owner: 'https://api.calendly.com/users/EBHAAFHDCAEQTSEZ',
  organization: 'https://api.calendly.com/organizations/EBHAAFHDCAEQTSEZ',
};

describe('Calendly definition', () => {
  it('parses token answers, keeping the owner and organization across refreshes', () => {
    if (calendly.auth.kind !== 'oauth2') throw new Error('Calendly connects with OAuth');
    expect(calendly.auth).toMatchObject({ refreshTokenRotates: true, pkce: true, tokenRequestEncoding: 'form', tokenUrl: 'https://auth.calendly.com/oauth/token' });
    const first = calendly.auth.parseTokenResponse(ANSWER, NOW);
    expect(first).toEqual({
      accessToken: ANSWER.access_token,
      refreshToken: ANSWER.refresh_token,
      expiresAt: '2026-11-01T14:00:00.000Z',
      scopes: ['users:read', 'event_types:read'],
      extra: { owner: ANSWER.owner, organization: ANSWER.organization },
    });
    // A refresh answer rotates the refresh token; what it leaves out is kept.
    const refreshed = calendly.auth.parseTokenResponse({ access_token: 'new-access', refresh_token: 'new-refresh', expires_in: 7200 }, NOW, first);
    expect(refreshed).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh', extra: first.extra });
  });

  it('calls only Calendly hosts, describes its errors, and declares no reschedule', () => {
    expect(calendly.allowedHosts('api.calendly.com')).toBe(true);
    expect(calendly.allowedHosts('auth.calendly.com')).toBe(true);
    expect(calendly.allowedHosts('calendly.com.evil.example')).toBe(false);
    expect(calendly.describeError?.({ title: 'Invalid Argument', message: 'The supplied parameters are invalid.', details: [{ parameter: 'count', message: 'must be 100 or less' }] })).toBe(
      'The supplied parameters are invalid.: count must be 100 or less',
    );
    expect(calendly.describeError?.({ unrelated: true })).toBeUndefined();
    expect(Object.keys(calendly.actions ?? {})).not.toContain('appointments.reschedule');
  });
});
