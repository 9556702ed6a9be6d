// The X-Airtable-Content-MAC check: hex HMAC-SHA256 of the raw body under the webhook's
// macSecretBase64 decoded to bytes. Airtable publishes no test vector, so the vectors here are
// computed independently: a fixed one computed with the openssl CLI (pinned below), and fresh ones
// with node:crypto. Tampering with the body, the header, the secret (or decoding it as text, the
// classic mistake) fails, as do malformed headers.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { airtableMac, macKey } from '@/lib/providers/airtable/signature';
import { verifyWebhook } from '@/lib/webhooks/verify';
import { macOf, pingBody } from './webhooks';

// A ping exactly as Airtable's docs show it ✔ (webhooks-overview), and a 32-byte secret.
const BODY = '{"base":{"id":"app00000000000000"},"webhook":{"id":"ach00000000000000"},"timestamp":"2022-02-01T21:25:05.663Z"}';
const SECRET = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
// printf '%s' "$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f  (computed when this test was written)
const PINNED = 'hmac-sha256=feb60036212fc2ebb8707d53b49e8c010893104f3a867f789698bff4afbf8c78';

const now = new Date('2022-02-01T21:25:06Z');
const check = (headers: Record<string, string>, rawBody: string | Uint8Array = BODY, secret = SECRET) => verifyWebhook(airtableMac, { rawBody, headers, secret, now });

describe('Airtable X-Airtable-Content-MAC', () => {
  it('matches a vector computed with the openssl CLI', () => {
    const hexKey = Buffer.from(SECRET, 'base64').toString('hex');
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${hexKey}`], { input: BODY }).toString();
    expect(`hmac-sha256=${openssl.trim().split(/\s+/).at(-1)}`).toBe(PINNED);
    expect(check({ 'X-Airtable-Content-MAC': PINNED })).toEqual({ ok: true });
  });

  it('accepts MACs computed independently with node:crypto over the raw bytes, and the sandbox signer agrees', () => {
    for (let i = 0; i < 20; i++) {
      const secret = crypto.randomBytes(32).toString('base64');
      const body = Buffer.from(pingBody({ baseId: `app${i}`, id: `ach${i}` }) + (i % 2 ? '\n' : ''), 'utf8');
      const mac = `hmac-sha256=${crypto.createHmac('sha256', Buffer.from(secret, 'base64')).update(body).digest('hex')}`;
      expect(macOf(secret, body.toString('utf8'))).toBe(mac);
      expect(check({ 'x-airtable-content-mac': mac }, body, secret)).toEqual({ ok: true });
      expect(check({ 'x-airtable-content-mac': mac.toUpperCase().replace('HMAC-SHA256=', 'hmac-sha256=') }, body, secret)).toEqual({ ok: true });
    }
  });

  it('refuses a tampered body, header or secret', () => {
    expect(check({ 'X-Airtable-Content-MAC': PINNED }, `${BODY} `).ok).toBe(false);
    expect(check({ 'X-Airtable-Content-MAC': PINNED }, BODY.replace('2022', '2023')).ok).toBe(false);
    const flipped = PINNED.slice(0, -1) + (PINNED.endsWith('2') ? '3' : '2');
    expect(check({ 'X-Airtable-Content-MAC': flipped })).toMatchObject({ ok: false, reason: expect.stringContaining('does not match') });
    expect(check({ 'X-Airtable-Content-MAC': PINNED }, BODY, crypto.randomBytes(32).toString('base64')).ok).toBe(false);
    // The secret used as text (its base64 characters as the key) is the classic mistake: refused.
    const asText = `hmac-sha256=${crypto.createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
    expect(check({ 'X-Airtable-Content-MAC': asText }).ok).toBe(false);
  });

  it('refuses missing and malformed headers without echoing them', () => {
    expect(check({})).toMatchObject({ ok: false, reason: 'missing X-Airtable-Content-MAC header' });
    const hex = PINNED.slice('hmac-sha256='.length);
    for (const header of [hex, `sha256=${hex}`, `hmac-sha256=${hex.slice(2)}`, `hmac-sha256=${Buffer.from(hex, 'hex').toString('base64')}`, `${PINNED}, ${PINNED}`]) {
      const result = check({ 'X-Airtable-Content-MAC': header });
      expect(result.ok, header).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(hex);
    }
    // Two copies of the header are ambiguous.
    expect(check({ 'X-Airtable-Content-MAC': [PINNED, PINNED] } as unknown as Record<string, string>).ok).toBe(false);
  });

  it('decodes only strict base64 secrets of at least 16 bytes', () => {
    expect(macKey(SECRET)?.length).toBe(32);
    expect(macKey('not base64!')).toBeNull();
    expect(macKey(Buffer.alloc(8).toString('base64'))).toBeNull();
    expect(check({ 'X-Airtable-Content-MAC': PINNED }, BODY, 'short').ok).toBe(false);
  });
});
