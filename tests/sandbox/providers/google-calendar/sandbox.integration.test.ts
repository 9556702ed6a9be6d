// The sandbox plays Google's OAuth dialect: the shared dialect checks (tests/support/sandbox-oauth.ts)
// and Google's own quirks. (Moved from tests/integration/sandbox.test.ts.)
import { describe, expect, it } from 'vitest';
import { describeOAuthDialect, oauthKit, type Json, type OAuthSpec } from '@/tests/support/sandbox-oauth';

const kit = oauthKit();
const { bearerGet, codeFor, connect, encode, exchange, newVerifier, refresh, sb } = kit;

const identityResponse = (tokens: Json) => bearerGet(sb('https://www.googleapis.com/calendar/v3/users/me/calendarList/primary'), tokens.access_token as string);

const spec: OAuthSpec = {
  id: 'google-calendar',
  authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  encoding: 'form',
  sendsSecret: true,
  authorizeParams: {
    response_type: 'code',
    scope: 'https://www.googleapis.com/auth/calendar.readonly',
    access_type: 'offline',
    prompt: 'consent',
  },
  async identify(tokens) {
    const res = await identityResponse(tokens);
    const body = (await res.json()) as Json;
    if (res.ok) expect(body).toMatchObject({ kind: 'calendar#calendarListEntry', timeZone: 'Europe/London', accessRole: 'owner', primary: true });
    return { status: res.status, accountId: body.id as string | undefined };
  },
  identityResponse,
  unauthenticatedStatus: 401,
  checkCodeAnswer(body) {
    expect(body).toEqual({
      access_token: expect.stringMatching(/^sbx_at_google-calendar_/),
      expires_in: 3599,
      refresh_token: expect.stringMatching(/^sbx_rt_google-calendar_/),
      scope: 'https://www.googleapis.com/auth/calendar.readonly',
      token_type: 'Bearer',
    });
  },
  checkRefreshAnswer(body) {
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
  },
};

describeOAuthDialect(kit, spec);

describe('provider sandbox: provider specifics', () => {
  it('Google: no refresh token without access_type=offline, nor on a repeat consent without prompt=consent', async () => {
    const google = spec;
    const online = newVerifier();
    const first = await exchange(google, await codeFor(google, online, { access_type: 'online' }), online);
    expect(first.body).not.toHaveProperty('refresh_token');
    const repeat = newVerifier();
    const second = await exchange(google, await codeFor(google, repeat, { prompt: '' }), repeat);
    expect(second.body).not.toHaveProperty('refresh_token');
  });

  it('Google: revoking the access token revokes its refresh token; an unknown token is invalid_token', async () => {
    const google = spec;
    const tokens = await connect(google);
    const revoke = (token: string) => fetch(sb('https://oauth2.googleapis.com/revoke'), encode('form', { token }));
    const res = await revoke(tokens.access_token as string);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await refresh(google, tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    const again = await revoke(tokens.access_token as string);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_token', error_description: 'Token expired or revoked' });
    expect(kit.sandbox.stats().revocations['google-calendar']).toBe(2);
  });
});
