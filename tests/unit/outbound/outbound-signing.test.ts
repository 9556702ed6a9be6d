// Signing as a Standard Webhooks sender. The fixed vector is the one published in the Standard
// Webhooks specification's README (secret, id, timestamp, body and the expected signature), so it
// was computed by someone else, not by the code under test.
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newEndpointSecret, signatureOf, signedHeaders } from '@/lib/outbound/signing';

const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('outbound signing', () => {
  it('matches the specification example', () => {
    expect(signatureOf(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it('matches an HMAC computed here by hand', () => {
    const secret = newEndpointSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = crypto.createHmac('sha256', key).update('evt_1.1700000000.{"a":"é"}').digest('base64');
    expect(signatureOf(secret, 'evt_1', 1700000000, '{"a":"é"}')).toBe(`v1,${expected}`);
  });

  it('carries one signature per valid secret, space-separated, and each verifies', () => {
    const current = newEndpointSecret();
    const previous = newEndpointSecret();
    const body = JSON.stringify({ type: 'sync.completed', data: { n: 1 } });
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders([current, previous], 'evt_2', now, body);
    expect(headers['webhook-id']).toBe('evt_2');
    expect(headers['webhook-timestamp']).toBe(String(now));
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newEndpointSecret()).verify(body, headers)).toThrow();
  });

  it('refuses to sign without a secret', () => {
    expect(() => signedHeaders([], 'evt_3', 1, '{}')).toThrow(/secret/);
  });
});
