// Acuity's webhook signature (lib/providers/acuity/signature.ts) and notification parser.
// Acuity documents the scheme (https://developers.acuityscheduling.com/docs/webhooks: base64
// HMAC-SHA256 of the raw body, keyed with the API key, in X-Acuity-Signature; no timestamp) and
// shows the PHP and Node computation, but publishes no fixed vector; so signatures here are
// computed independently (node:crypto, and once the openssl command-line tool), and the sandbox's
// signer is checked against the same computation.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { acuitySignature } from '@/lib/providers/acuity/signature';
import { acuityWebhooks, parseDeliveries } from '@/lib/providers/acuity/webhooks';
import type { VerifyInput } from '@/lib/webhooks/verify';
import { ANY_TIME, b64, expectRejected, expectRobust, expectVerified } from '@/tests/support/webhook-checks';
import { sign } from './webhooks';

const KEY = 'abc123-sandbox-api-key-0001';
// Acuity's documented variables, form-encoded as Acuity posts them.
const BODY = 'action=scheduled&id=1234567&calendarID=11&appointmentTypeID=2';
const input = (headers: Record<string, string>, overrides: Partial<VerifyInput> = {}): VerifyInput => ({ rawBody: BODY, headers, secret: KEY, now: ANY_TIME, ...overrides });

describe('X-Acuity-Signature', () => {
  it('verifies a signature computed independently with node:crypto and with openssl', () => {
    expectVerified(acuitySignature, input({ 'X-Acuity-Signature': b64(KEY, BODY) }));
    const binary = execFileSync('openssl', ['dgst', '-sha256', '-hmac', KEY, '-binary'], { input: BODY });
    expect(binary.toString('base64')).toBe(b64(KEY, BODY));
    expectVerified(acuitySignature, input({ 'x-acuity-signature': binary.toString('base64') }));
  });

  it('has no timestamp: the same delivery verifies whenever it arrives', () => {
    expectVerified(acuitySignature, input({ 'X-Acuity-Signature': b64(KEY, BODY) }, { now: new Date('2030-01-01T00:00:00Z') }));
  });

  it('refuses a tampered body, signature or key, and malformed headers, without echoing the key', () => {
    const good = b64(KEY, BODY);
    expectRejected(acuitySignature, input({ 'X-Acuity-Signature': good }, { rawBody: `${BODY}&x=1` }), /does not match/);
    expectRejected(acuitySignature, input({ 'X-Acuity-Signature': good }, { rawBody: BODY.replace('1234567', '1234568') }), /does not match/);
    expectRejected(acuitySignature, input({ 'X-Acuity-Signature': good.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }), /does not match/);
    expectRejected(acuitySignature, input({ 'X-Acuity-Signature': good }, { secret: `${KEY}x` }), /does not match/);
    expectRejected(acuitySignature, input({}), /missing/);
    expectRejected(acuitySignature, input({ 'X-Acuity-Signature': Buffer.from(good, 'base64').toString('hex') }), /not a base64/);
    expectRejected(acuitySignature, input({ 'X-Acuity-Signature': good.slice(0, -2) }), /not a base64/);
    expectRejected(acuitySignature, input({ 'X-Acuity-Signature': good }, { secret: '' }), /no webhook secret/);
    expectRobust([acuitySignature]);
  });

  it("the sandbox's signer agrees with the independent computation", () => {
    expect(sign(BODY, KEY)).toEqual({ 'X-Acuity-Signature': b64(KEY, BODY) });
  });
});

describe('Acuity notifications', () => {
  const fields = Object.fromEntries(new URLSearchParams(BODY));

  it('ask for an incremental sync of the appointments, deduplicated within the minute', () => {
    const at = new Date('2026-11-01T12:00:10Z');
    const [delivery] = parseDeliveries({ body: fields, headers: new Headers() }, at);
    expect(delivery).toEqual({
      eventId: 'scheduled:1234567:2026-11-01T12:00',
      eventType: 'scheduled',
      accountId: '',
      resource: 'appointments',
      change: { kind: 'sync' },
      occurredAt: null,
      details: { appointmentId: '1234567' },
    });
    // The same notification a minute later (a second reschedule) is a new event.
    expect(parseDeliveries({ body: fields, headers: new Headers() }, new Date('2026-11-01T12:01:10Z'))[0].eventId).not.toBe(delivery.eventId);
    for (const action of ['rescheduled', 'canceled', 'changed']) {
      expect(parseDeliveries({ body: { ...fields, action }, headers: new Headers() })[0].change).toEqual({ kind: 'sync' });
    }
    expect(parseDeliveries({ body: { action: 'order.completed', id: '99' }, headers: new Headers() })[0]).toMatchObject({ resource: null, change: { kind: 'none' } });
  });

  it('refuses what is not an Acuity notification', () => {
    for (const garbage of [null, {}, { action: 'scheduled' }, { action: 'scheduled', id: 'abc' }, { id: '1' }]) {
      expect(() => parseDeliveries({ body: garbage, headers: new Headers() })).toThrow(ZodError);
    }
  });

  it('reads form-encoded bodies and finds the channel in the target URL', () => {
    const deliveries = acuityWebhooks.deliveries;
    expect(deliveries.kind).toBe('channel');
    if (deliveries.kind !== 'channel') return;
    expect(deliveries.bodyEncoding).toBe('form');
    const id = '0b7f4c1e-8d9a-4e57-9a51-3c2b1d0e9f8a';
    expect(deliveries.channelIdOf(new Headers(), new URL(`https://hub.example/api/webhooks/acuity?channel=${id}`))).toBe(id);
  });
});
