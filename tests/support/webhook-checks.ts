// What the verifier tests share: the shared schemes' tests (tests/unit/webhooks/verify.test.ts) and
// each provider's own (tests/sandbox/providers/<id>/webhooks.unit.test.ts) check their signature
// schemes against published vectors with these, and every scheme against garbage.
import crypto from 'node:crypto';
import { expect } from 'vitest';
import { verifyWebhook, type SignatureCheck, type VerifyInput } from '@/lib/webhooks/verify';

export const ANY_TIME = new Date('2026-11-01T12:00:00Z');
export const hex = (key: string | Buffer, data: string) => crypto.createHmac('sha256', key).update(data).digest('hex');
export const b64 = (key: string | Buffer, data: string) => crypto.createHmac('sha256', key).update(data).digest('base64');

export function expectVerified(check: SignatureCheck, input: VerifyInput) {
  expect(verifyWebhook(check, input)).toEqual({ ok: true });
}

export function expectRejected(check: SignatureCheck, input: VerifyInput, reason?: RegExp) {
  const result = verifyWebhook(check, input);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    if (input.secret) expect(result.reason).not.toContain(input.secret);
    if (reason) expect(result.reason).toMatch(reason);
  }
  return result;
}

/** Garbage headers and bodies never throw, never verify, and never echo the secret or the expected signature. */
export function expectRobust(schemes: Iterable<SignatureCheck>) {
  const secret = 'a-very-secret-value';
  const body = '{"x":1}';
  const expectedHex = hex(secret, body);
  const garbage: unknown[] = [undefined, null, 42, {}, [], 'x'.repeat(10_000), { 'x-hub-signature-256': 12 }];
  for (const scheme of schemes) {
    for (const headers of garbage) {
      for (const rawBody of [body, undefined, 12, new Uint8Array([0xff, 0xfe, 0x00])]) {
        const result = verifyWebhook(scheme, { rawBody, headers, secret, now: ANY_TIME, url: 'https://x.example/h' } as unknown as VerifyInput);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.reason).not.toContain(secret);
          expect(result.reason).not.toContain(expectedHex);
        }
      }
    }
  }
}
