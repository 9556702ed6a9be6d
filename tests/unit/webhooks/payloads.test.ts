// Provider webhook payload parsers, fed the providers' own documentation examples where they
// publish one, and garbage, which must throw a ZodError (the route answers 400).
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseDeliveries as parseGoogle } from '@/lib/providers/google-calendar/webhooks';
import { parseDeliveries as parseHubspot } from '@/lib/providers/hubspot/webhooks';
import { parseDeliveries as parseSquare } from '@/lib/providers/square/webhooks';
import type { DeliveryParser } from '@/lib/webhooks/types';

const noHeaders = new Headers();
const expectGarbage = (parse: DeliveryParser, body: unknown, headers = noHeaders) => expect(() => parse({ body, headers })).toThrow(ZodError);

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

describe('Google Calendar push notifications', () => {
  // The example change notification in https://developers.google.com/calendar/api/guides/push
  const docsExample = {
    'X-Goog-Channel-ID': '4ba78bf0-6a47-11e2-bcfd-0800200c9a66',
    'X-Goog-Channel-Token': '398348u3tu83ut8uu38',
    'X-Goog-Channel-Expiration': 'Tue, 19 Nov 2013 01:13:52 GMT',
    'X-Goog-Resource-ID': 'ret08u3rv24htgh289g',
    'X-Goog-Resource-URI': 'https://www.googleapis.com/calendar/v3/calendars/my_calendar@gmail.com/events',
    'X-Goog-Resource-State': 'exists',
    'X-Goog-Message-Number': '10',
  };

  it('turns a change notification into an incremental sync of events, deduplicated per channel message', () => {
    expect(parseGoogle({ body: null, headers: new Headers(docsExample) })).toEqual([
      {
        eventId: '4ba78bf0-6a47-11e2-bcfd-0800200c9a66:10',
        eventType: 'exists',
        accountId: '4ba78bf0-6a47-11e2-bcfd-0800200c9a66',
        resource: 'events',
        change: { kind: 'sync' },
        occurredAt: null,
        details: {
          messageNumber: '10',
          resourceId: 'ret08u3rv24htgh289g',
          resourceUri: 'https://www.googleapis.com/calendar/v3/calendars/my_calendar@gmail.com/events',
          channelExpiration: '2013-11-19T01:13:52.000Z',
        },
      },
    ]);
  });

  it('records the sync handshake without acting, and syncs on not_exists', () => {
    const handshake = parseGoogle({ body: null, headers: new Headers({ ...docsExample, 'X-Goog-Resource-State': 'sync', 'X-Goog-Message-Number': '1' }) });
    expect(handshake[0]).toMatchObject({ eventType: 'sync', eventId: '4ba78bf0-6a47-11e2-bcfd-0800200c9a66:1', change: { kind: 'none' } });
    const gone = parseGoogle({ body: null, headers: new Headers({ ...docsExample, 'X-Goog-Resource-State': 'not_exists' }) });
    expect(gone[0]).toMatchObject({ eventType: 'not_exists', change: { kind: 'sync' } });
  });

  it('never carries the channel token', () => {
    const parsed = parseGoogle({ body: null, headers: new Headers(docsExample) });
    expect(JSON.stringify(parsed)).not.toContain('398348u3tu83ut8uu38');
  });

  it('works without the optional headers, and drops an unreadable expiry', () => {
    const minimal = { 'X-Goog-Channel-ID': 'c1', 'X-Goog-Resource-State': 'exists', 'X-Goog-Message-Number': '2', 'X-Goog-Channel-Expiration': 'soon' };
    expect(parseGoogle({ body: null, headers: new Headers(minimal) })[0].details).toEqual({ messageNumber: '2' });
  });

  it('rejects notifications missing their channel, state or message number', () => {
    const without = (name: string) => new Headers(Object.entries(docsExample).filter(([key]) => key !== name));
    expectGarbage(parseGoogle, null, without('X-Goog-Channel-ID'));
    expectGarbage(parseGoogle, null, without('X-Goog-Resource-State'));
    expectGarbage(parseGoogle, null, without('X-Goog-Message-Number'));
    expectGarbage(parseGoogle, null, new Headers({ ...docsExample, 'X-Goog-Resource-State': 'update' }));
    expectGarbage(parseGoogle, null, new Headers({ ...docsExample, 'X-Goog-Message-Number': 'ten' }));
    expectGarbage(parseGoogle, null, noHeaders);
  });
});
