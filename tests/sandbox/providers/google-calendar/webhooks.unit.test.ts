// Google Calendar's push notifications: the parser fed the example notification of Google's push
// guide (and garbage, which must throw a ZodError: the route answers 400), the channel-token check,
// and the sandbox's notification headers through both.
// (Moved from tests/unit/webhooks/payloads.test.ts, signing.test.ts and verify.test.ts.)
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { channelTokenCheck, parseDeliveries as parseGoogle } from '@/lib/providers/google-calendar/webhooks';
import type { DeliveryParser } from '@/lib/webhooks/types';
import { verifyWebhook, type SignatureCheck, type VerifyInput } from '@/lib/webhooks/verify';
import { ANY_TIME, expectRejected, expectRobust, expectVerified } from '@/tests/support/webhook-checks';
import { googleChannelHeaders } from './channels';

const noHeaders = new Headers();
const expectGarbage = (parse: DeliveryParser, body: unknown, headers = noHeaders) => expect(() => parse({ body, headers })).toThrow(ZodError);

const SCHEMES = { 'google-channel': channelTokenCheck } satisfies Record<string, SignatureCheck>;
type WebhookScheme = keyof typeof SCHEMES;
const expectOk = (scheme: WebhookScheme, input: VerifyInput) => expectVerified(SCHEMES[scheme], input);
const expectFail = (scheme: WebhookScheme, input: VerifyInput, reason?: RegExp) => expectRejected(SCHEMES[scheme], input, reason);

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

describe('sandbox deliveries, verified and parsed', () => {
  const now = new Date('2026-11-02T09:00:00Z');

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

describe('verifyWebhook: google-channel', () => {
  // Google signs nothing: the channel token set at events.watch comes back verbatim. No published
  // vector exists; the token is the one in the Calendar push docs' example notification
  // (https://developers.google.com/calendar/api/guides/push).
  const token = '398348u3tu83ut8uu38';
  const input = (headers: Record<string, string>, secret = token): VerifyInput => ({ rawBody: '', headers, secret, now: ANY_TIME });

  it('passes a matching token', () => {
    expectOk('google-channel', input({ 'X-Goog-Channel-Token': token, 'X-Goog-Resource-State': 'exists' }));
  });

  it('fails a different, prefixed, truncated or missing token', () => {
    expectFail('google-channel', input({ 'X-Goog-Channel-Token': `${token}x` }), /does not match/);
    expectFail('google-channel', input({ 'X-Goog-Channel-Token': token.slice(0, -1) }), /does not match/);
    expectFail('google-channel', input({ 'X-Goog-Channel-Token': token.toUpperCase() }), /does not match/);
    expectFail('google-channel', input({ 'X-Goog-Channel-Token': '' }), /does not match/);
    expectFail('google-channel', input({ 'X-Goog-Channel-ID': 'c1' }), /missing X-Goog-Channel-Token/);
    expectFail('google-channel', input({ 'X-Goog-Channel-Token': '' }, ''), /no webhook secret/);
  });
});

describe('verifyWebhook: robustness', () => {
  it('never throws on garbage, and never echoes the secret or the expected signature', () => {
    expectRobust(Object.values(SCHEMES));
  });
});
