// The sandbox's shared webhook signer (Standard Webhooks) against the same published vector as the
// verifier, so the two are each pinned to the spec rather than to each other; then a sandbox-built
// delivery through the verifier. Each provider's own signer is pinned to its vectors beside it
// (tests/sandbox/providers/<id>/webhooks.unit.test.ts).
import { describe, expect, it } from 'vitest';
import { standardWebhooksSignature } from '@/lib/webhooks/standard';
import { verifyWebhook } from '@/lib/webhooks/verify';
import { signStandardWebhooks } from '@/tests/sandbox/webhook-signing';

describe('sandbox signer reproduces published vectors', () => {
  it('Standard Webhooks (standard-webhooks/standard-webhooks libraries/go/webhook_test.go)', () => {
    expect(
      signStandardWebhooks({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestampSeconds: 1614265330, body: '{"test": 2432232314}', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
    ).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });
});

describe('sandbox deliveries, verified and parsed', () => {
  const now = new Date('2026-11-02T09:00:00Z');

  it('Standard Webhooks: a rotation-time delivery with two signatures verifies under either secret', () => {
    const secrets = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA=='];
    const headers = signStandardWebhooks({ id: 'evt_1', timestampSeconds: now.getTime() / 1000, body: '{"a":1}', secret: secrets });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of secrets) expect(verifyWebhook(standardWebhooksSignature, { rawBody: '{"a":1}', headers, secret, now })).toEqual({ ok: true });
  });
});
