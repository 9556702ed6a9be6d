// Acuity's definition: OAuth as its SDK does it (scope api-v1, form code grant, an access token
// only), the user id + API key alternative (Basic auth), hosts and error sentences.
import { describe, expect, it } from 'vitest';
import { acuityScheduling } from '@/lib/providers/acuity';
import { basicAuth } from '@/lib/providers/acuity/api';
import type { ProviderClient } from '@/lib/providers/types';

describe('Acuity definition', () => {
  it('connects with OAuth (no refresh token, no expiry) or an API key', () => {
    if (acuityScheduling.auth.kind !== 'oauth2') throw new Error('Acuity connects with OAuth first');
    expect(acuityScheduling.auth).toMatchObject({ authorizeUrl: 'https://acuityscheduling.com/oauth2/authorize', scopes: ['api-v1'], tokenRequestEncoding: 'form' });
    expect(acuityScheduling.auth.parseTokenResponse({ access_token: 'tok', token_type: 'Bearer' }, new Date())).toMatchObject({ accessToken: 'tok', refreshToken: undefined, expiresAt: undefined });
    const alternative = acuityScheduling.alternativeApiKey!;
    expect(alternative.fields.map((f) => f.name)).toEqual(['userId', 'apiKey']);
    expect(alternative.toTokenSet({ userId: '123', apiKey: 'secret-key' })).toEqual({ accessToken: 'secret-key', extra: { userId: '123' } });
    expect(alternative.fields[0].schema.safeParse('12ab').success).toBe(false);
  });

  it('sends the user id and API key as HTTP Basic', () => {
    const client = { tokens: { accessToken: 'abc123', extra: { userId: '1' } } } as unknown as ProviderClient;
    expect(basicAuth(client)).toBe(`Basic ${Buffer.from('1:abc123').toString('base64')}`);
  });

  it('calls only acuityscheduling.com and describes its errors', () => {
    expect(acuityScheduling.allowedHosts('acuityscheduling.com')).toBe(true);
    expect(acuityScheduling.allowedHosts('evil.example')).toBe(false);
    expect(acuityScheduling.describeError?.({ status_code: 400, message: 'The time you selected is not available.', error: 'not_available' })).toBe(
      'The time you selected is not available. (not_available)',
    );
  });
});
