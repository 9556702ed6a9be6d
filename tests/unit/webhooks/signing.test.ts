// The sandbox's webhook signer against the same published vectors as the verifier, so the two are
// each pinned to the providers rather than to each other; then sandbox-built deliveries through
// the verifier and the parsers, as the webhook route will see them.
import { describe, expect, it } from 'vitest';
import { parseDeliveries as parseGoogle } from '@/lib/providers/google-calendar/webhooks';
import { parseDeliveries as parseHubspot } from '@/lib/providers/hubspot/webhooks';
import { parseDeliveries as parseSquare } from '@/lib/providers/square/webhooks';
import { channelTokenCheck } from '@/lib/providers/google-calendar/webhooks';
import { hubspotSignatureV1, hubspotSignatureV3 } from '@/lib/providers/hubspot/signature';
import { squareSignature } from '@/lib/providers/square/signature';
import { standardWebhooksSignature } from '@/lib/webhooks/standard';
import { verifyWebhook } from '@/lib/webhooks/verify';
import { googleChannelHeaders } from '@/tests/sandbox/providers/google-calendar/channels';
import { hubspotEvents, signHubspotV3 } from '@/tests/sandbox/providers/hubspot/webhooks';
import { signSquare, squareEvent } from '@/tests/sandbox/providers/square/webhooks';
import { signStandardWebhooks } from '@/tests/sandbox/webhook-signing';

describe('sandbox signer reproduces published vectors', () => {
  it('HubSpot v3 (HubSpot/hubspot-api-python tests/spec/utils/test_signature.py, hubspot-api-ruby spec/helpers/signature_spec.rb)', () => {
    const base = { method: 'POST', uri: 'https://www.example.com/webhook_uri', body: "{'example_field':'example_value'}", secret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy' };
    expect(signHubspotV3({ ...base, timestampMs: 1693657560000 })['X-HubSpot-Signature-v3']).toBe('K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=');
    expect(signHubspotV3({ ...base, timestampMs: 1700000300000 })['X-HubSpot-Signature-v3']).toBe('RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw=');
    expect(signHubspotV3({ ...base, timestampMs: 15000000 })).toMatchObject({
      'X-HubSpot-Signature-v3': 'HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=',
      'X-HubSpot-Request-Timestamp': '15000000',
      // The v1 signature beside it: the same SDK files' v1 vector.
      'X-HubSpot-Signature': '69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750',
    });
  });

  it('HubSpot v1 beside v3 (https://developers.hubspot.com/docs/faq/v1-request-validation)', () => {
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    const headers = signHubspotV3({ method: 'POST', uri: 'https://x.example/h', body, secret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', timestampMs: 1564113600000 });
    expect(headers['X-HubSpot-Signature']).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('Square (square/square-nodejs-sdk tests/integration/webhooks.test.ts)', () => {
    const body =
      '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
    expect(signSquare({ notificationUrl: 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9', body, signatureKey: 'Ibxx_5AKakO-3qeNVR61Dw' })).toEqual({
      'x-square-hmacsha256-signature': 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=',
    });
    const url = 'https://webhook.site/webhooks';
    expect(signSquare({ notificationUrl: url, body: '{"data":{"type":"webhooks","id":"fake_id"}}', signatureKey: 'signature-key' })['x-square-hmacsha256-signature']).toBe(
      'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=',
    );
    expect(signSquare({ notificationUrl: url, body: '{"data":{"type":"webhooks","id":">id<"}}', signatureKey: 'signature-key' })['x-square-hmacsha256-signature']).toBe(
      'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=',
    );
  });

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

  it('HubSpot: a signed batch to a URI with escapes verifies under v3 and v1, and parses', () => {
    const uri = 'https://hub.example.com/api/webhooks/hubspot?connection=c%3A42&x=a%20b';
    const body = JSON.stringify(
      hubspotEvents(
        [
          { subscriptionType: 'contact.propertyChange', objectId: 1000000001, propertyName: 'phone', propertyValue: '+15550100' },
          { subscriptionType: 'deal.deletion', objectId: 2000000003 },
        ],
        { portalId: 62515, occurredAt: now },
      ),
    );
    const headers = signHubspotV3({ method: 'POST', uri, body, secret: 'client-secret', timestampMs: now.getTime() - 2_000 });
    expect(verifyWebhook(hubspotSignatureV3, { rawBody: body, headers, url: uri, method: 'POST', secret: 'client-secret', now })).toEqual({ ok: true });
    expect(verifyWebhook(hubspotSignatureV1, { rawBody: body, headers, secret: 'client-secret', now })).toEqual({ ok: true });
    expect(verifyWebhook(hubspotSignatureV3, { rawBody: body, headers, url: uri, secret: 'client-secret', now: new Date(now.getTime() + 10 * 60_000) }).ok).toBe(false);
    const parsed = parseHubspot({ body: JSON.parse(body), headers: new Headers(headers) });
    expect(parsed.map((d) => [d.accountId, d.resource, d.change.kind])).toEqual([
      ['62515', 'contacts', 'sync'],
      ['62515', 'deals', 'delete'],
    ]);
    expect(new Set(parsed.map((d) => d.eventId)).size).toBe(2);
  });

  it('Square: a signed customer event verifies against its notification URL and upserts the customer', () => {
    const customer = { id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4', given_name: 'Amelia', family_name: 'Earhart', version: 2, created_at: '2026-10-01T10:00:00.000Z', updated_at: '2026-11-02T08:59:00.000Z' };
    const body = JSON.stringify(squareEvent({ merchantId: 'MLEFBHHSJGVHD', type: 'customer.updated', object: customer, createdAt: now }));
    const notificationUrl = 'https://hub.example.com/api/webhooks/square';
    const headers = signSquare({ notificationUrl, body, signatureKey: 'sig-key' });
    expect(verifyWebhook(squareSignature, { rawBody: body, headers, url: notificationUrl, secret: 'sig-key', now })).toEqual({ ok: true });
    const [delivery] = parseSquare({ body: JSON.parse(body), headers: new Headers(headers) });
    expect(delivery).toMatchObject({ accountId: 'MLEFBHHSJGVHD', resource: 'customers', change: { kind: 'upsert', record: { externalId: customer.id, data: customer } } });

    const booking = { id: 'bk0000001', version: 3, status: 'CANCELLED_BY_SELLER', start_at: '2026-11-20T10:00:00Z' };
    const bookingBody = squareEvent({ merchantId: 'MLEFBHHSJGVHD', type: 'booking.updated', object: booking });
    expect((bookingBody.data as { id: string }).id).toBe('bk0000001:3');
    expect(parseSquare({ body: bookingBody, headers: new Headers() })[0].change).toEqual({ kind: 'upsert', record: { externalId: 'bk0000001', data: booking } });
    const deleted = squareEvent({ merchantId: 'MLEFBHHSJGVHD', type: 'customer.deleted', object: customer });
    expect(parseSquare({ body: deleted, headers: new Headers() })[0].change).toEqual({ kind: 'delete', externalId: customer.id });
  });

  it('Standard Webhooks: a rotation-time delivery with two signatures verifies under either secret', () => {
    const secrets = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA=='];
    const headers = signStandardWebhooks({ id: 'evt_1', timestampSeconds: now.getTime() / 1000, body: '{"a":1}', secret: secrets });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of secrets) expect(verifyWebhook(standardWebhooksSignature, { rawBody: '{"a":1}', headers, secret, now })).toEqual({ ok: true });
  });

  it('Google: push headers verify by token and parse', () => {
    const headers = googleChannelHeaders({
      channelId: 'chan-1',
      token: 'channel-token',
      resourceState: 'exists',
      messageNumber: 7,
      resourceId: 'res-1',
      expiration: new Date('2026-11-09T09:00:00Z'),
    });
    expect(headers['X-Goog-Channel-Expiration']).toBe('Mon, 09 Nov 2026 09:00:00 GMT');
    expect(verifyWebhook(channelTokenCheck, { rawBody: '', headers, secret: 'channel-token', now })).toEqual({ ok: true });
    expect(verifyWebhook(channelTokenCheck, { rawBody: '', headers, secret: 'other-token', now }).ok).toBe(false);
    expect(parseGoogle({ body: null, headers: new Headers(headers) })[0]).toMatchObject({
      eventId: 'chan-1:7',
      accountId: 'chan-1',
      change: { kind: 'sync' },
      details: { resourceId: 'res-1', channelExpiration: '2026-11-09T09:00:00.000Z' },
    });
  });
});
