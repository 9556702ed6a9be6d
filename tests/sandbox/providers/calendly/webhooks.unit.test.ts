// Calendly's webhook signature (lib/providers/calendly/signature.ts) and delivery parser.
// Calendly publishes the algorithm (https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(signing key, t + '.' + raw body)>", three minutes' tolerance)
// but no fixed test vector and no SDK helper, so every signature here is computed independently:
// with node:crypto in the test and, once, by the openssl command-line tool. The sandbox's signer is
// checked against the same independent computation, so signer and verifier each answer to it.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { calendlySignature, CALENDLY_TOLERANCE_MS } from '@/lib/providers/calendly/signature';
import { calendlyWebhooks, parseDeliveries } from '@/lib/providers/calendly/webhooks';
import type { VerifyInput } from '@/lib/webhooks/verify';
import { expectRejected, expectRobust, expectVerified, hex } from '@/tests/support/webhook-checks';
import { sign } from './webhooks';

const KEY = 'sbx-calendly-signing-key-0123456789abcdef';
const NOW = new Date('2026-11-01T12:00:00Z');
const T = String(NOW.getTime() / 1000);
// The shape of Calendly's invitee.created example (developer.calendly.com, "Webhook payload").
const BODY = JSON.stringify({
  created_at: '2026-11-01T11:59:58.000000Z',
  created_by: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
  event: 'invitee.created',
  payload: {
    uri: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/7c1dc3a2-f3b5-4d06-9e7f-4f3e2a5f7d11',
    email: 'test@example.com',
    name: 'John Doe',
    status: 'active',
    event: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2',
  },
});

const input = (headers: Record<string, string>, overrides: Partial<VerifyInput> = {}): VerifyInput => ({ rawBody: BODY, headers, secret: KEY, now: NOW, ...overrides });
const header = (t: string, v1: string) => ({ 'Calendly-Webhook-Signature': `t=${t},v1=${v1}` });

describe('Calendly-Webhook-Signature', () => {
  it('verifies a signature computed independently with node:crypto', () => {
    expectVerified(calendlySignature, input(header(T, hex(KEY, `${T}.${BODY}`))));
  });

  it('verifies a signature computed by openssl, over the exact bytes', () => {
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-hmac', KEY, '-hex'], { input: `${T}.${BODY}` }).toString();
    const v1 = /([0-9a-f]{64})\s*$/.exec(digest)?.[1];
    expect(v1).toBeDefined();
    expect(v1).toBe(hex(KEY, `${T}.${BODY}`));
    expectVerified(calendlySignature, input(header(T, v1!)));
  });

  it('accepts any of several v1 signatures and upper-case hex', () => {
    const good = hex(KEY, `${T}.${BODY}`);
    expectVerified(calendlySignature, input({ 'Calendly-Webhook-Signature': `t=${T},v1=${'0'.repeat(64)},v1=${good}` }));
    expectVerified(calendlySignature, input(header(T, good.toUpperCase())));
  });

  it('refuses a tampered body, signature, timestamp or key', () => {
    const good = hex(KEY, `${T}.${BODY}`);
    expectRejected(calendlySignature, input(header(T, good), { rawBody: `${BODY} ` }), /does not match/);
    expectRejected(calendlySignature, input(header(T, good.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')))), /does not match/);
    // The signed timestamp is part of the message: moving it breaks the signature even inside the window.
    expectRejected(calendlySignature, input(header(String(Number(T) - 1), good)), /does not match/);
    expectRejected(calendlySignature, input(header(T, good), { secret: `${KEY}x` }), /does not match/);
    // Re-serialised JSON is different bytes.
    expectRejected(calendlySignature, input(header(T, good), { rawBody: JSON.stringify(JSON.parse(BODY), null, 1) }), /does not match/);
  });

  it('holds deliveries to three minutes either way', () => {
    const at = (offsetMs: number) => {
      const t = String(Math.floor((NOW.getTime() + offsetMs) / 1000));
      return input(header(t, hex(KEY, `${t}.${BODY}`)));
    };
    expect(CALENDLY_TOLERANCE_MS).toBe(180_000);
    expectVerified(calendlySignature, at(-180_000));
    expectVerified(calendlySignature, at(180_000));
    expectRejected(calendlySignature, at(-181_000), /181 s old/);
    expectRejected(calendlySignature, at(181_000), /in the future/);
  });

  it('refuses malformed headers without echoing the secret', () => {
    const good = hex(KEY, `${T}.${BODY}`);
    expectRejected(calendlySignature, input({}), /missing/);
    expectRejected(calendlySignature, input({ 'Calendly-Webhook-Signature': good }), /form/);
    expectRejected(calendlySignature, input({ 'Calendly-Webhook-Signature': `v1=${good}` }), /form/);
    expectRejected(calendlySignature, input({ 'Calendly-Webhook-Signature': `t=${T},t=${T},v1=${good}` }), /form/);
    expectRejected(calendlySignature, input(header(`${T}.5`, good)), /timestamp/);
    expectRejected(calendlySignature, input(header(T, good.slice(0, 63))), /does not match/);
    expectRejected(calendlySignature, input(header(T, good), { secret: '' }), /no webhook secret/);
    expectRobust([calendlySignature]);
  });

  it("the sandbox's signer agrees with the independent computation", () => {
    const signed = sign(BODY, KEY, NOW.getTime() + 999);
    expect(signed['Calendly-Webhook-Signature']).toBe(`t=${T},v1=${hex(KEY, `${T}.${BODY}`)}`);
  });
});

describe('Calendly deliveries', () => {
  it('turn invitee.created and invitee.canceled into an incremental sync of everything', () => {
    const [created] = parseDeliveries({ body: JSON.parse(BODY), headers: new Headers() });
    expect(created).toEqual({
      eventId: 'invitee.created:https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/7c1dc3a2-f3b5-4d06-9e7f-4f3e2a5f7d11:2026-11-01T11:59:58.000000Z',
      eventType: 'invitee.created',
      accountId: 'AAAAAAAAAAAAAAAA',
      resource: null,
      change: { kind: 'sync' },
      occurredAt: '2026-11-01T11:59:58.000Z',
    });
    const [canceled] = parseDeliveries({ body: { ...JSON.parse(BODY), event: 'invitee.canceled' }, headers: new Headers() });
    expect(canceled.change).toEqual({ kind: 'sync' });
    expect(canceled.eventId).not.toBe(created.eventId);
  });

  it('records events it does not act on, and refuses what is not a Calendly delivery', () => {
    const [other] = parseDeliveries({ body: { ...JSON.parse(BODY), event: 'routing_form_submission.created' }, headers: new Headers() });
    expect(other.change).toEqual({ kind: 'none' });
    for (const garbage of [null, [], {}, { event: 'invitee.created' }, { event: 1, created_at: 'x', payload: {} }]) {
      expect(() => parseDeliveries({ body: garbage, headers: new Headers() })).toThrow(ZodError);
    }
  });

  it('finds the channel in the callback URL and stores the body as the payload', () => {
    const deliveries = calendlyWebhooks.deliveries;
    expect(deliveries.kind).toBe('channel');
    if (deliveries.kind !== 'channel') return;
    const id = '0b7f4c1e-8d9a-4e57-9a51-3c2b1d0e9f8a';
    expect(deliveries.channelIdOf(new Headers(), new URL(`https://hub.example/api/webhooks/calendly?channel=${id}`))).toBe(id);
    expect(deliveries.channelIdOf(new Headers(), new URL('https://hub.example/api/webhooks/calendly'))).toBeNull();
    const body = JSON.parse(BODY);
    expect(deliveries.storedPayload(new Headers(), body)).toBe(body);
  });
});
