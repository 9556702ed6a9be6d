// Airtable's definition: its OAuth dialect (PKCE; HTTP Basic client authentication on the token
// endpoint when the client has a secret, client_id staying in the body; 60-minute access tokens,
// rotating refresh tokens whose 60-day expiry is kept), the hosts it may call, its error sentences,
// how table fields become push fields, and the formulas the sandbox understands.
import { describe, expect, it } from 'vitest';
import { buildTokenRequest } from '@/lib/oauth/token-endpoint';
import { airtable } from '@/lib/providers/airtable';
import { pushFieldOf } from '@/lib/providers/airtable/push';
import { parseFormula } from './api';

const NOW = new Date('2026-11-01T12:00:00Z');
// The fields of Airtable's token answer ✔ (oauth-reference, "Successful response"); values made up.
const ANSWER = { access_token: 'oaa.at', refresh_token: 'oaa.rt', token_type: 'Bearer', scope: 'data.records:read schema.bases:read', expires_in: 3600, refresh_expires_in: 5184000 };

describe('Airtable definition', () => {
  it('authenticates to the token endpoint with HTTP Basic when it has a secret, in the body only its id', () => {
    const request = buildTokenRequest(airtable, { clientId: 'client id', clientSecret: 's3cr:t', environment: 'live' }, { grant_type: 'refresh_token', refresh_token: 'oaa.rt' });
    expect(request.url).toBe('https://airtable.com/oauth2/v1/token');
    expect(request.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('client%20id:s3cr%3At').toString('base64')}` });
    const body = new URLSearchParams(request.body);
    expect(Object.fromEntries(body)).toEqual({ client_id: 'client id', grant_type: 'refresh_token', refresh_token: 'oaa.rt' });
    // Without a secret (a public integration): no Authorization header, nothing secret in the body.
    const bare = buildTokenRequest(airtable, { clientId: 'cid', clientSecret: '', environment: 'live' }, { grant_type: 'authorization_code', code: 'c', code_verifier: 'v' });
    expect(bare.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(bare.body).has('client_secret')).toBe(false);
  });

  it('requires PKCE, rotates refresh tokens and keeps when the refresh token expires', () => {
    if (airtable.auth.kind !== 'oauth2') throw new Error('Airtable connects with OAuth');
    expect(airtable.auth).toMatchObject({ pkce: true, refreshTokenRotates: true, authorizeUrl: 'https://airtable.com/oauth2/v1/authorize', scopes: expect.arrayContaining(['webhook:manage', 'data.records:write']) });
    expect(airtable.auth.parseTokenResponse(ANSWER, NOW)).toEqual({
      accessToken: 'oaa.at',
      refreshToken: 'oaa.rt',
      expiresAt: '2026-11-01T13:00:00.000Z',
      scopes: ['data.records:read', 'schema.bases:read'],
      extra: { refreshExpiresAt: '2026-12-31T12:00:00.000Z' },
    });
  });

  it('calls only Airtable hosts and describes its errors', () => {
    expect(airtable.allowedHosts('api.airtable.com')).toBe(true);
    expect(airtable.allowedHosts('airtable.com')).toBe(true);
    expect(airtable.allowedHosts('api.airtable.com.evil.example')).toBe(false);
    expect(airtable.describeError?.({ error: { type: 'INVALID_VALUE_FOR_COLUMN', message: 'Field "Email" cannot accept the provided value' } })).toBe(
      'INVALID_VALUE_FOR_COLUMN: Field "Email" cannot accept the provided value',
    );
    expect(airtable.describeError?.({ error: 'NOT_FOUND' })).toBe('NOT_FOUND');
    expect(airtable.describeError?.({ errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded' }] })).toBe('RATE_LIMIT_REACHED: Rate limit exceeded');
    expect(airtable.push?.destinations.map((d) => [d.id, d.batchSize, d.rateLimit.requestsPerSecond, d.matchKey.kind, d.deletionPolicies])).toEqual([['records', 10, 5, 'chosen', ['delete']]]);
  });

  it('offers writable fields with model types, choices, and match keys; leaves computed ones out', () => {
    expect(pushFieldOf({ id: 'f1', name: 'Email', type: 'email' })).toEqual({ name: 'Email', label: 'Email', type: 'email', matchable: true });
    expect(pushFieldOf({ id: 'f2', name: 'Stage', type: 'singleSelect', options: { choices: [{ name: 'A' }, { name: 'B' }] } })).toEqual({ name: 'Stage', label: 'Stage', type: 'enum', values: ['A', 'B'] });
    expect(pushFieldOf({ id: 'f3', name: 'Total', type: 'formula' })).toBeNull();
    expect(pushFieldOf({ id: 'f4', name: 'When', type: 'dateTime' })).toMatchObject({ type: 'datetime' });
    expect(pushFieldOf({ id: 'f5', name: 'Notes', type: 'multilineText' })?.matchable).toBeUndefined();
  });

  it('sandbox: understands the record-id and field formulas the app sends, and nothing else', () => {
    expect(parseFormula("OR(RECORD_ID()='recA1',RECORD_ID()='recB2')")).toEqual([{ ids: ['recA1'] }, { ids: ['recB2'] }]);
    expect(parseFormula("{Email}='a@b.example'")).toEqual([{ field: 'Email', value: 'a@b.example' }]);
    expect(parseFormula('SUM(1,2)')).toBeNull();
  });
});
