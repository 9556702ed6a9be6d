// HubSpot's webhooks: its payload parser fed HubSpot's documentation examples (and garbage, which
// must throw a ZodError: the route answers 400), its v1/v2/v3 signatures against the published
// vectors, and the sandbox's signer pinned to the same vectors, so signer and verifier are each
// pinned to HubSpot rather than to each other.
// (Moved from tests/unit/webhooks/payloads.test.ts, signing.test.ts and verify.test.ts.)
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { hubspotSignatureV1, hubspotSignatureV2, hubspotSignatureV3, hubspotV3Uri } from '@/lib/providers/hubspot/signature';
import { parseDeliveries as parseHubspot } from '@/lib/providers/hubspot/webhooks';
import type { DeliveryParser } from '@/lib/webhooks/types';
import { verifyWebhook, type SignatureCheck, type VerifyInput } from '@/lib/webhooks/verify';
import { ANY_TIME, b64, expectRejected, expectRobust, expectVerified } from '@/tests/support/webhook-checks';
import { hubspotEvents, signHubspotV3 } from './webhooks';

const noHeaders = new Headers();
const expectGarbage = (parse: DeliveryParser, body: unknown, headers = noHeaders) => expect(() => parse({ body, headers })).toThrow(ZodError);

// Each scheme by the name its provider's definition stores with a delivery.
const SCHEMES = {
  'hubspot-v1': hubspotSignatureV1,
  'hubspot-v2': hubspotSignatureV2,
  'hubspot-v3': hubspotSignatureV3,
} satisfies Record<string, SignatureCheck>;
type WebhookScheme = keyof typeof SCHEMES;
const expectOk = (scheme: WebhookScheme, input: VerifyInput) => expectVerified(SCHEMES[scheme], input);
const expectFail = (scheme: WebhookScheme, input: VerifyInput, reason?: RegExp) => expectRejected(SCHEMES[scheme], input, reason);

describe('HubSpot deliveries', () => {
  // The example delivery in HubSpot's webhooks API docs (developers.hubspot.com, Webhooks API,
  // "Webhook payloads"); copies of the docs differ only in naming the type field eventType.
  const docsExample = [
    {
      objectId: 1246965,
      propertyName: 'lifecyclestage',
      propertyValue: 'subscriber',
      changeSource: 'ACADEMY',
      eventId: 3816279340,
      subscriptionId: 25,
      portalId: 33,
      appId: 1160452,
      occurredAt: 1462216307945,
      subscriptionType: 'contact.propertyChange',
      attemptNumber: 0,
    },
    {
      objectId: 1246978,
      changeSource: 'IMPORT',
      eventId: 3816279480,
      subscriptionId: 22,
      portalId: 33,
      appId: 1160452,
      occurredAt: 1462216307945,
      subscriptionType: 'contact.creation',
      attemptNumber: 0,
    },
  ];

  it('turns property changes and creations into incremental syncs of the resource', () => {
    expect(parseHubspot({ body: docsExample, headers: noHeaders })).toEqual([
      {
        eventId: '3816279340',
        eventType: 'contact.propertyChange',
        accountId: '33',
        resource: 'contacts',
        change: { kind: 'sync' },
        occurredAt: '2016-05-02T19:11:47.945Z',
      },
      {
        eventId: '3816279480',
        eventType: 'contact.creation',
        accountId: '33',
        resource: 'contacts',
        change: { kind: 'sync' },
        occurredAt: '2016-05-02T19:11:47.945Z',
      },
    ]);
  });

  it('reads the type from eventType, as older docs name it', () => {
    const [legacy] = docsExample;
    const { subscriptionType, ...rest } = legacy;
    const [parsed] = parseHubspot({ body: [{ ...rest, eventType: subscriptionType }], headers: noHeaders });
    expect(parsed).toMatchObject({ eventType: 'contact.propertyChange', resource: 'contacts', change: { kind: 'sync' } });
  });

  it('deletes on contact and deal deletions (privacy deletions too), keyed by the object id the sync uses', () => {
    const body = [
      // https://developers.hubspot.com/docs/faq/v1-request-validation (the signed example body), as a deletion
      { eventId: 1, subscriptionId: 12345, portalId: 62515, occurredAt: 1564113600000, subscriptionType: 'contact.deletion', attemptNumber: 0, objectId: 123, changeSource: 'CRM', changeFlag: 'DELETED', appId: 54321 },
      { eventId: 2, subscriptionId: 12346, portalId: 62515, occurredAt: 1564113600001, subscriptionType: 'deal.deletion', attemptNumber: 1, objectId: 2000000007, changeSource: 'CRM', appId: 54321 },
      { eventId: 3, subscriptionId: 12347, portalId: 62515, occurredAt: 1564113600002, subscriptionType: 'contact.privacyDeletion', attemptNumber: 0, objectId: 1000000001, appId: 54321 },
      { eventId: 4, subscriptionId: 12348, portalId: 62515, occurredAt: 1564113600003, subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'closedwon', objectId: 2000000008, appId: 54321 },
    ];
    const parsed = parseHubspot({ body, headers: noHeaders });
    expect(parsed.map((d) => [d.resource, d.change])).toEqual([
      ['contacts', { kind: 'delete', externalId: '123' }],
      ['deals', { kind: 'delete', externalId: '2000000007' }],
      ['contacts', { kind: 'delete', externalId: '1000000001' }],
      ['deals', { kind: 'sync' }],
    ]);
    expect(parsed.every((d) => d.accountId === '62515')).toBe(true);
  });

  it('reads new-platform object.* events by objectTypeId, and records objects we do not sync', () => {
    const body = [
      { eventId: 10, portalId: 33, occurredAt: 1700000000000, subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 5 },
      { eventId: 11, portalId: 33, occurredAt: 1700000000000, subscriptionType: 'object.deletion', objectTypeId: '0-3', objectId: 6 },
      { eventId: 12, portalId: 34, occurredAt: 1700000000000, subscriptionType: 'company.creation', objectId: 7 },
      { eventId: 13, portalId: 34, occurredAt: 1700000000000, subscriptionType: 'object.creation', objectTypeId: '0-2', objectId: 8 },
      { eventId: 14, portalId: 34, occurredAt: 1700000000000, subscriptionType: 'constructor.deletion', objectId: 9 },
    ];
    expect(parseHubspot({ body, headers: noHeaders }).map((d) => [d.accountId, d.resource, d.change])).toEqual([
      ['33', 'contacts', { kind: 'sync' }],
      ['33', 'deals', { kind: 'delete', externalId: '6' }],
      ['34', null, { kind: 'none' }],
      ['34', null, { kind: 'none' }],
      ['34', null, { kind: 'none' }],
    ]);
  });

  it('accepts an empty batch and rejects garbage', () => {
    expect(parseHubspot({ body: [], headers: noHeaders })).toEqual([]);
    expectGarbage(parseHubspot, null);
    expectGarbage(parseHubspot, docsExample[0]);
    expectGarbage(parseHubspot, 'contact.creation');
    expectGarbage(parseHubspot, [{ ...docsExample[0], portalId: undefined }]);
    expectGarbage(parseHubspot, [{ ...docsExample[0], eventId: 'abc' }]);
    expectGarbage(parseHubspot, [{ ...docsExample[0], occurredAt: '2016-05-02' }]);
    expectGarbage(parseHubspot, [{ ...docsExample[0], subscriptionType: undefined }]);
    expectGarbage(parseHubspot, [{ ...docsExample[0], objectId: -1 }]);
  });
});

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
});

describe('verifyWebhook: hubspot-v1 and hubspot-v2', () => {
  const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
  // https://developers.hubspot.com/docs/faq/v1-request-validation (also in HubSpot/hubspot-api-nodejs test/unit/signature.spec.ts)
  const v1Body =
    '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

  it('passes the published v1 vectors', () => {
    const headers = { 'X-HubSpot-Signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'X-HubSpot-Signature-Version': 'v1' };
    expectOk('hubspot-v1', { rawBody: v1Body, headers, secret, now: ANY_TIME });
    // HubSpot/hubspot-api-python tests/spec/utils/test_signature.py (and hubspot-api-ruby spec/helpers/signature_spec.rb)
    expectOk('hubspot-v1', {
      rawBody: "{'example_field':'example_value'}",
      headers: { 'X-HubSpot-Signature': '69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750' },
      secret,
      now: ANY_TIME,
    });
  });

  it('passes the published v2 vectors', () => {
    const url = 'https://www.example.com/webhook_uri';
    // https://developers.hubspot.com/docs/faq/v2-request-validation: the GET and the POST-with-body examples
    expectOk('hubspot-v2', {
      rawBody: '',
      headers: { 'X-HubSpot-Signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e', 'X-HubSpot-Signature-Version': 'v2' },
      method: 'GET',
      url,
      secret,
      now: ANY_TIME,
    });
    expectOk('hubspot-v2', {
      rawBody: '{"example_field":"example_value"}',
      headers: { 'X-HubSpot-Signature': '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900', 'X-HubSpot-Signature-Version': 'v2' },
      method: 'POST',
      url,
      secret,
      now: ANY_TIME,
    });
    // HubSpot/hubspot-api-python tests/spec/utils/test_signature.py (method defaults to POST)
    expectOk('hubspot-v2', {
      rawBody: "{'example_field':'example_value'}",
      headers: { 'X-HubSpot-Signature': '4fe4e3a7d3cf09db53be39d0a58130e2aaba074ec123a9e355b876a689a1c383' },
      url,
      secret,
      now: ANY_TIME,
    });
  });

  it('fails tampered bodies, wrong secrets, missing, malformed or mislabelled signatures', () => {
    const ok = { 'X-HubSpot-Signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de' };
    expectFail('hubspot-v1', { rawBody: v1Body.replace('"objectId":123', '"objectId":124'), headers: ok, secret, now: ANY_TIME }, /does not match/);
    expectFail('hubspot-v1', { rawBody: v1Body, headers: ok, secret: secret.replace('y', 'z'), now: ANY_TIME }, /does not match/);
    expectFail('hubspot-v1', { rawBody: JSON.stringify(JSON.parse(v1Body), null, 1), headers: ok, secret, now: ANY_TIME }, /does not match/);
    expectFail('hubspot-v1', { rawBody: v1Body, headers: {}, secret, now: ANY_TIME }, /missing X-HubSpot-Signature/);
    expectFail('hubspot-v1', { rawBody: v1Body, headers: { 'X-HubSpot-Signature': 'abc' }, secret, now: ANY_TIME }, /malformed/);
    expectFail('hubspot-v1', { rawBody: v1Body, headers: { ...ok, 'X-HubSpot-Signature-Version': 'v2' }, secret, now: ANY_TIME }, /expected v1/);
    const v2 = { 'X-HubSpot-Signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e' };
    const url = 'https://www.example.com/webhook_uri';
    expectFail('hubspot-v2', { rawBody: '', headers: v2, method: 'POST', url, secret, now: ANY_TIME }, /does not match/);
    expectFail('hubspot-v2', { rawBody: '', headers: v2, method: 'GET', url: `${url}?a=1`, secret, now: ANY_TIME }, /does not match/);
    expectFail('hubspot-v2', { rawBody: '', headers: v2, method: 'GET', secret, now: ANY_TIME }, /request URI/);
  });
});

describe('verifyWebhook: hubspot-v3', () => {
  const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
  const body = "{'example_field':'example_value'}";
  const url = 'https://www.example.com/webhook_uri';
  // HubSpot's docs publish no v3 example; these are the official SDKs' fixed vectors:
  // HubSpot/hubspot-api-python tests/spec/utils/test_signature.py (1693657560000; the older
  // 15000000 one in earlier versions of the same file) and HubSpot/hubspot-api-ruby
  // spec/helpers/signature_spec.rb (1700000300000).
  const vectors = [
    { timestamp: '1693657560000', signature: 'K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=' },
    { timestamp: '1700000300000', signature: 'RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw=' },
    { timestamp: '15000000', signature: 'HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=' },
  ];
  const input = (timestamp: string, signature: string, overrides: Partial<VerifyInput> = {}): VerifyInput => ({
    rawBody: body,
    headers: { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp },
    method: 'POST',
    url,
    secret,
    now: new Date(Number(timestamp) + 1_000),
    ...overrides,
  });

  it('passes the published SDK vectors, at their own time', () => {
    for (const { timestamp, signature } of vectors) expectOk('hubspot-v3', input(timestamp, signature));
  });

  it('decodes exactly the documented escapes in the URI before signing', () => {
    // No published vector covers the decoding: expected values follow the documented formula.
    expect(hubspotV3Uri('https://x.example/a%3a%2F%3F%40%21%24%27%28%29%2A%2C%3B')).toBe("https://x.example/a:/?@!$'()*,;");
    expect(hubspotV3Uri('https://x.example/a%20b%26c%3Dd%25e')).toBe('https://x.example/a%20b%26c%3Dd%25e');
    expect(hubspotV3Uri('https://x.example/%253A')).toBe('https://x.example/%253A');

    const called = 'https://hooks.example.com/api/webhooks/hubspot?portal=62515&next=%2Fdeals%3Fx%3D1&label=a%20b';
    const signed = 'https://hooks.example.com/api/webhooks/hubspot?portal=62515&next=/deals?x%3D1&label=a%20b';
    const timestamp = '1790000001000';
    const signature = b64(secret, `POST${signed}${body}${timestamp}`);
    expectOk('hubspot-v3', input(timestamp, signature, { url: called }));
    expectOk('hubspot-v3', input(timestamp, signature, { url: signed }));
    // Signing the raw, undecoded URI is a different signature.
    expectFail('hubspot-v3', input(timestamp, b64(secret, `POST${called}${body}${timestamp}`), { url: called }), /does not match/);
  });

  it('fails tampered requests, wrong secrets, missing or malformed headers', () => {
    const { timestamp, signature } = vectors[0];
    expectFail('hubspot-v3', input(timestamp, signature, { rawBody: "{'example_field':'example_valuE'}" }), /does not match/);
    expectFail('hubspot-v3', input(timestamp, signature, { secret: 'zzzzzzzz-yyyy-yyyy-yyyy-yyyyyyyyyyyy' }), /does not match/);
    expectFail('hubspot-v3', input(timestamp, signature, { method: 'PUT' }), /does not match/);
    expectFail('hubspot-v3', input(timestamp, signature, { url: 'https://www.example.com/webhook_uri2' }), /does not match/);
    expectFail('hubspot-v3', input(timestamp, signature, { url: undefined }), /request URI/);
    expectFail('hubspot-v3', input(timestamp, signature, { headers: { 'X-HubSpot-Request-Timestamp': timestamp } }), /missing X-HubSpot-Signature-v3/);
    expectFail('hubspot-v3', input(timestamp, signature, { headers: { 'X-HubSpot-Signature-v3': signature } }), /missing X-HubSpot-Request-Timestamp/);
    expectFail('hubspot-v3', input(timestamp, signature.replace('=', '')), /malformed/);
    expectFail('hubspot-v3', input(timestamp, signature.replace('+', ' ')), /malformed/);
    expectFail('hubspot-v3', input('1693657560000', signature, { headers: { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': '1.69e12' } }), /malformed/);
  });

  it('rejects timestamps older than 5 minutes, and far-future ones', () => {
    const { timestamp, signature } = vectors[0];
    const ms = Number(timestamp);
    expectOk('hubspot-v3', input(timestamp, signature, { now: new Date(ms + 300_000) }));
    expectFail('hubspot-v3', input(timestamp, signature, { now: new Date(ms + 300_001) }), /old/);
    expectFail('hubspot-v3', input(timestamp, signature, { now: new Date(ms - 300_001) }), /future/);
  });
});

describe('verifyWebhook: robustness', () => {
  it('never throws on garbage, and never echoes the secret or the expected signature', () => {
    expectRobust(Object.values(SCHEMES));
  });
});
