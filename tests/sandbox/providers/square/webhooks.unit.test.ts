// Square's webhooks: its payload parser fed Square's documentation examples (and garbage, which
// must throw a ZodError: the route answers 400), its signature against the published SDK vectors,
// and the sandbox's signer pinned to the same vectors.
// (Moved from tests/unit/webhooks/payloads.test.ts, signing.test.ts and verify.test.ts.)
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { squareSignature } from '@/lib/providers/square/signature';
import { parseDeliveries as parseSquare } from '@/lib/providers/square/webhooks';
import type { DeliveryParser } from '@/lib/webhooks/types';
import { verifyWebhook, type SignatureCheck, type VerifyInput } from '@/lib/webhooks/verify';
import { ANY_TIME, expectRejected, expectRobust, expectVerified } from '@/tests/support/webhook-checks';
import { signSquare, squareEvent } from './webhooks';

const noHeaders = new Headers();
const expectGarbage = (parse: DeliveryParser, body: unknown, headers = noHeaders) => expect(() => parse({ body, headers })).toThrow(ZodError);

const SCHEMES = { square: squareSignature } satisfies Record<string, SignatureCheck>;
type WebhookScheme = keyof typeof SCHEMES;
const expectOk = (scheme: WebhookScheme, input: VerifyInput) => expectVerified(SCHEMES[scheme], input);
const expectFail = (scheme: WebhookScheme, input: VerifyInput, reason?: RegExp) => expectRejected(SCHEMES[scheme], input, reason);

describe('Square deliveries', () => {
  // https://developer.squareup.com/reference/square/webhooks/customer.created (example payload;
  // the e-mail address is the docs' placeholder)
  const customerCreated = {
    merchant_id: 'G7MMEBVW021Q4',
    type: 'customer.created',
    event_id: 'e12b5591-e0b6-4967-810a-307c7efcb1a7',
    created_at: '2022-11-09T21:23:25Z',
    data: {
      type: 'customer',
      id: 'QPTXM8PQNX3Q726ZYHPMNP46XC',
      object: {
        customer: {
          address: { address_line_1: '1018 40th Street', administrative_district_level_1: 'CA', locality: 'Oakland', postal_code: '94608' },
          birthday: '1962-03-04',
          created_at: '2022-11-09T21:23:25.519Z',
          creation_source: 'DIRECTORY',
          email_address: 'jenkins+smorly@example.com',
          family_name: 'Smorly',
          given_name: 'Jenkins',
          group_ids: ['JGJCW9S0G68NE.APPOINTMENTS'],
          id: 'QPTXM8PQNX3Q726ZYHPMNP46XC',
          phone_number: '+12126668929',
          preferences: { email_unsubscribed: false },
          updated_at: '2022-11-09T21:23:25.519Z',
          version: 0,
        },
      },
    },
  };
  // https://developer.squareup.com/reference/square/webhooks/customer.deleted (example payload)
  const customerDeleted = {
    merchant_id: 'G7MMEBVW021Q4',
    type: 'customer.deleted',
    event_id: '8e84fec8-f04b-46f0-b66d-dbb8b59590fa',
    created_at: '2022-11-09T21:26:50Z',
    data: {
      type: 'customer',
      id: 'QPTXM8PQNX3Q726ZYHPMNP46XC',
      deleted: true,
      object: {
        customer: {
          address: { address_line_1: '1018 1st Street', administrative_district_level_1: 'NY', locality: 'Brooklyn', postal_code: '11215' },
          birthday: '1962-03-04',
          creation_source: 'IMPORT',
          email_address: 'jenkins+smiley@example.com',
          family_name: 'Smiley',
          given_name: 'Jenkins',
          id: 'QPTXM8PQNX3Q726ZYHPMNP46XC',
          phone_number: '+12126668929',
          preferences: { email_unsubscribed: false },
          version: 3,
        },
      },
    },
  };
  // https://developer.squareup.com/reference/square/bookings-api/webhooks/booking.updated (example payload)
  const bookingUpdated = {
    merchant_id: 'GQQWA3J6A3AEZ',
    location_id: 'L9R0X9X5SGDBJ',
    type: 'booking.updated',
    event_id: 'd954ea4e-a393-52d4-bda6-bfd10cbd571f',
    created_at: '2020-12-08T20:05:00Z',
    data: {
      type: 'booking',
      id: 'i2id2g3enyspi7:1',
      object: {
        booking: {
          id: 'i2id2g3enyspi7',
          status: 'ACCEPTED',
          customer_note: 'I would like to sit near the window please',
          seller_note: '',
          start_at: '2020-12-17T16:00:00Z',
          created_at: '2020-12-08T19:56:53Z',
          updated_at: '2020-12-08T20:05:00Z',
          version: 1,
          appointment_segments: [
            { service_variation_id: 'T3WUWYFJOVW2EU6XGRU5YG4A', duration_minutes: 30, service_variation_version: 1605808735978, team_member_id: '_4GsfYnqGHyurOwzWdKj' },
          ],
          customer_id: 'SSKBT02ECWZXK6W3VWYC78E52R',
          location_id: 'L9R0X9X5SGDBJ',
        },
      },
    },
  };

  it('upserts a created or updated customer with the whole customer object', () => {
    expect(parseSquare({ body: customerCreated, headers: noHeaders })).toEqual([
      {
        eventId: 'e12b5591-e0b6-4967-810a-307c7efcb1a7',
        eventType: 'customer.created',
        accountId: 'G7MMEBVW021Q4',
        resource: 'customers',
        change: { kind: 'upsert', record: { externalId: 'QPTXM8PQNX3Q726ZYHPMNP46XC', data: customerCreated.data.object.customer } },
        occurredAt: '2022-11-09T21:23:25.000Z',
      },
    ]);
    const updated = { ...customerCreated, type: 'customer.updated' };
    expect(parseSquare({ body: updated, headers: noHeaders })[0].change).toMatchObject({ kind: 'upsert', record: { externalId: 'QPTXM8PQNX3Q726ZYHPMNP46XC' } });
  });

  it('deletes a deleted customer', () => {
    expect(parseSquare({ body: customerDeleted, headers: noHeaders })[0]).toMatchObject({
      eventType: 'customer.deleted',
      resource: 'customers',
      change: { kind: 'delete', externalId: 'QPTXM8PQNX3Q726ZYHPMNP46XC' },
    });
    const bare = { ...customerDeleted, data: { type: 'customer', id: 'QPTXM8PQNX3Q726ZYHPMNP46XC', deleted: true } };
    expect(parseSquare({ body: bare, headers: noHeaders })[0].change).toEqual({ kind: 'delete', externalId: 'QPTXM8PQNX3Q726ZYHPMNP46XC' });
  });

  it('upserts bookings under the booking id, not the versioned data.id', () => {
    const [delivery] = parseSquare({ body: bookingUpdated, headers: noHeaders });
    expect(delivery).toMatchObject({ accountId: 'GQQWA3J6A3AEZ', resource: 'bookings', occurredAt: '2020-12-08T20:05:00.000Z' });
    expect(delivery.change).toEqual({ kind: 'upsert', record: { externalId: 'i2id2g3enyspi7', data: bookingUpdated.data.object.booking } });
    const created = { ...bookingUpdated, type: 'booking.created' };
    expect(parseSquare({ body: created, headers: noHeaders })[0].change).toMatchObject({ kind: 'upsert', record: { externalId: 'i2id2g3enyspi7' } });
  });

  it('syncs when the object is missing, and records other event types without acting', () => {
    const withoutObject = { ...customerCreated, data: { type: 'customer', id: 'QPTXM8PQNX3Q726ZYHPMNP46XC' } };
    expect(parseSquare({ body: withoutObject, headers: noHeaders })[0]).toMatchObject({ resource: 'customers', change: { kind: 'sync' } });
    // square/square-nodejs-sdk tests/integration/webhooks.test.ts (the signed test notification)
    const testNotification = {
      merchant_id: 'MLEFBHHSJGVHD',
      type: 'webhooks.test_notification',
      event_id: 'ac3ac95b-f97d-458c-a6e6-18981597e05f',
      created_at: '2022-07-13T20:30:59.037339943Z',
      data: { type: 'webhooks', id: 'bc368e64-01aa-407e-b46e-3231809b1129' },
    };
    expect(parseSquare({ body: testNotification, headers: noHeaders })).toEqual([
      {
        eventId: 'ac3ac95b-f97d-458c-a6e6-18981597e05f',
        eventType: 'webhooks.test_notification',
        accountId: 'MLEFBHHSJGVHD',
        resource: null,
        change: { kind: 'none' },
        occurredAt: '2022-07-13T20:30:59.037Z',
      },
    ]);
  });

  it('treats unknown types as nothing to do, and rejects garbage', () => {
    expect(parseSquare({ body: { ...customerCreated, type: 'constructor' }, headers: noHeaders })[0]).toMatchObject({ resource: null, change: { kind: 'none' } });
    expectGarbage(parseSquare, null);
    expectGarbage(parseSquare, [customerCreated]);
    expectGarbage(parseSquare, { ...customerCreated, merchant_id: undefined });
    expectGarbage(parseSquare, { ...customerCreated, event_id: '' });
    expectGarbage(parseSquare, { ...customerCreated, data: undefined });
    expectGarbage(parseSquare, { ...customerCreated, data: { ...customerCreated.data, object: { customer: { given_name: 'No id' } } } });
    expectGarbage(parseSquare, { ...bookingUpdated, data: { ...bookingUpdated.data, object: { booking: 'i2id2g3enyspi7' } } });
  });
});

describe('sandbox signer reproduces published vectors', () => {
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
});

describe('sandbox deliveries, verified and parsed', () => {
  const now = new Date('2026-11-02T09:00:00Z');

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
});

describe('verifyWebhook: square', () => {
  // square/square-nodejs-sdk tests/integration/webhooks.test.ts (the same first vector is in
  // square/square-python-sdk tests/utilities/test_webhooks_helper.py).
  const body =
    '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
  const signature = 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=';
  const secret = 'Ibxx_5AKakO-3qeNVR61Dw';
  const url = 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9';
  const input = (overrides: Partial<VerifyInput> = {}): VerifyInput => ({
    rawBody: body,
    headers: { 'x-square-hmacsha256-signature': signature },
    url,
    secret,
    now: ANY_TIME,
    ...overrides,
  });

  it('passes the published vectors', () => {
    expectOk('square', input());
    expectOk('square', {
      rawBody: '{"data":{"type":"webhooks","id":"fake_id"}}',
      headers: { 'X-Square-HmacSha256-Signature': 'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=' },
      url: 'https://webhook.site/webhooks',
      secret: 'signature-key',
      now: ANY_TIME,
    });
    expectOk('square', {
      rawBody: '{"data":{"type":"webhooks","id":">id<"}}',
      headers: { 'x-square-hmacsha256-signature': 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=' },
      url: 'https://webhook.site/webhooks',
      secret: 'signature-key',
      now: ANY_TIME,
    });
  });

  it("fails the SDK's negative cases: URL mismatch, wrong key, bad header, changed or reformatted body", () => {
    expectFail('square', input({ url: 'https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9' }), /does not match/);
    expectFail('square', input({ secret: 'MCmhFRxGX82xMwg5FsaoQA' }), /does not match/);
    expectFail('square', input({ headers: { 'x-square-hmacsha256-signature': '1z2n3DEJJiUPKcPzQo1ftvbxGdw=' } }), /malformed/);
    expectFail('square', input({ rawBody: body.replace('2022-07-13', '2022-06-13') }), /does not match/);
    expectFail('square', input({ rawBody: JSON.stringify(JSON.parse(body), null, 4) }), /does not match/);
  });

  it('compares the URL byte for byte, and needs one', () => {
    expectFail('square', input({ url: `${url}/` }), /does not match/);
    expectFail('square', input({ url: url.replace('https', 'http') }), /does not match/);
    expectFail('square', input({ url: undefined }), /notification URL/);
    expectFail('square', input({ headers: {} }), /missing x-square-hmacsha256-signature/);
  });
});

describe('verifyWebhook: robustness', () => {
  it('never throws on garbage, and never echoes the secret or the expected signature', () => {
    expectRobust(Object.values(SCHEMES));
  });
});
