// Mindbody's X-Mindbody-Signature ("sha256=" + base64(HMAC-SHA256(messageSignatureKey, raw body)))
// and its event parsing. Mindbody publishes no test vector (developers.mindbodyonline.com/
// WebhooksDocumentation describes the steps only), so the fixed vector below was computed outside
// this code base, with `openssl dgst -sha256 -hmac <key> -binary body | base64`, and another is
// computed here with node:crypto; then tamper cases.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDeliveries, webhookUrlFor } from '@/lib/providers/mindbody/webhooks';
import { mindbodySignature } from '@/lib/providers/mindbody/signature';
import { verifyWebhook } from '@/lib/webhooks/verify';

const BODY =
  '{"messageId":"ATQ9pK4mhJ3s","eventId":"client.updated","eventSchemaVersion":1,"eventInstanceOriginationDateTime":"2026-12-06T23:00:00Z","eventData":{"siteId":-99,"clientId":"100001"}}';
const KEY = 'h8-independent-key';
/** openssl dgst -sha256 -hmac 'h8-independent-key' -binary body.json | base64 */
const OPENSSL_SIGNATURE = 'sha256=sS6NutjZreJvx8UhJLqScm7zoLr19LgVyFNjIqNCFeY=';
const now = new Date('2026-12-06T23:00:00Z');

const check = (body: string | Uint8Array, signature: string | undefined, secret = KEY) =>
  verifyWebhook(mindbodySignature, { rawBody: body, headers: signature === undefined ? {} : { 'X-Mindbody-Signature': signature }, secret, now });

describe('X-Mindbody-Signature', () => {
  it('accepts the vector computed with openssl, and one computed here independently', () => {
    expect(check(BODY, OPENSSL_SIGNATURE)).toEqual({ ok: true });
    const key = crypto.randomBytes(24).toString('base64');
    const body = Buffer.from(JSON.stringify({ messageId: 'x', eventId: 'appointmentBooking.created', eventData: { siteId: 4242, note: 'Café ☕' } }), 'utf8');
    const signature = `sha256=${crypto.createHmac('sha256', key).update(body).digest('base64')}`;
    expect(check(body, signature, key)).toEqual({ ok: true });
  });

  it('refuses a changed body, signature, key or format, and a missing header', () => {
    expect(check(`${BODY} `, OPENSSL_SIGNATURE)).toMatchObject({ ok: false, reason: /does not match/ });
    expect(check(BODY.replace('100001', '100002'), OPENSSL_SIGNATURE)).toMatchObject({ ok: false });
    expect(check(BODY, OPENSSL_SIGNATURE.replace('sS6N', 'sS6M'))).toMatchObject({ ok: false, reason: /does not match/ });
    expect(check(BODY, OPENSSL_SIGNATURE, 'another-key')).toMatchObject({ ok: false });
    expect(check(BODY, OPENSSL_SIGNATURE.replace('sha256=', ''))).toMatchObject({ ok: false, reason: /not "sha256=/ });
    expect(check(BODY, 'sha256=c1MkNu')).toMatchObject({ ok: false, reason: /base64 SHA-256/ });
    expect(check(BODY, undefined)).toMatchObject({ ok: false, reason: /missing X-Mindbody-Signature/ });
    // Hex instead of base64 (another provider's habit) is not Mindbody's format.
    const hex = crypto.createHmac('sha256', KEY).update(BODY).digest('hex');
    expect(check(BODY, `sha256=${hex}`)).toMatchObject({ ok: false });
  });
});

describe('Mindbody events', () => {
  it('parses an event: messageId deduplicates, the site routes, the resource gets an incremental sync', () => {
    expect(parseDeliveries({ body: JSON.parse(BODY), headers: new Headers() })).toEqual([
      { eventId: 'ATQ9pK4mhJ3s', eventType: 'client.updated', accountId: '-99', resource: 'clients', change: { kind: 'sync' }, occurredAt: '2026-12-06T23:00:00.000Z' },
    ]);
    const booking = parseDeliveries({ body: { messageId: 'm2', eventId: 'appointmentBooking.cancelled', eventData: { siteId: '4242' } }, headers: new Headers() });
    expect(booking[0]).toMatchObject({ resource: 'appointments', change: { kind: 'sync' }, accountId: '4242', occurredAt: null });
    const visit = parseDeliveries({ body: { messageId: 'm3', eventId: 'classRosterBooking.created', eventData: { siteId: 1 } }, headers: new Headers() });
    expect(visit[0]).toMatchObject({ resource: 'class_visits' });
    // An event for something we do not sync is recorded and asks nothing.
    const sale = parseDeliveries({ body: { messageId: 'm4', eventId: 'clientSale.created', eventData: { siteId: 1 } }, headers: new Headers() });
    expect(sale[0]).toMatchObject({ resource: null, change: { kind: 'none' } });
    expect(() => parseDeliveries({ body: { eventId: 'client.updated', eventData: { siteId: 1 } }, headers: new Headers() })).toThrow();
    expect(() => parseDeliveries({ body: { messageId: 'm5', eventId: 'client.updated', eventData: {} }, headers: new Headers() })).toThrow();
  });

  it('names the channel in the webhook URL it subscribes', () => {
    const url = new URL(webhookUrlFor({ address: 'https://hub.example/api/webhooks/mindbody', id: '0b6f7d2e-4c1a-4f7e-9d55-1f2e3a4b5c6d' }));
    expect(url.pathname).toBe('/api/webhooks/mindbody');
    expect(url.searchParams.get('channel')).toBe('0b6f7d2e-4c1a-4f7e-9d55-1f2e3a4b5c6d');
  });
});
