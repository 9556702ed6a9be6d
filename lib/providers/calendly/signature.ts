// Calendly-Webhook-Signature: "t=<unix seconds>,v1=<hex HMAC-SHA256(signing key, t + '.' + raw body)>".
// Source: https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures and
// https://developer.calendly.com/docs/webhooks/overview ("Verify HMAC-SHA256(key, "<t>." + raw_body)").
// Calendly's guide rejects deliveries whose t is more than three minutes from now (replay
// protection); Calendly publishes no fixed test vector and no SDK helper, so the tests compute
// signatures independently.
import { equalDigests, fail, hmac, OK, parseTimestamp, utf8, type SignatureCheck } from '@/lib/webhooks/verify';

export const CALENDLY_SIGNATURE_HEADER = 'calendly-webhook-signature';
/** Calendly's documented tolerance: three minutes either way. */
export const CALENDLY_TOLERANCE_MS = 3 * 60 * 1000;

/** t and every v1 of the header, or null when it is not of Calendly's form. */
function parseHeader(header: string): { t: string; v1: string[] } | null {
  let t: string | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) return null;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') {
      if (t !== null) return null;
      t = value;
    } else if (key === 'v1') v1.push(value);
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

export const calendlySignature: SignatureCheck = ({ body, headers, secret, now }) => {
  const header = headers.get(CALENDLY_SIGNATURE_HEADER);
  if (header === null) return fail('missing Calendly-Webhook-Signature header');
  const parsed = parseHeader(header);
  if (!parsed) return fail('Calendly-Webhook-Signature is not of the form t=…,v1=…');
  const seconds = parseTimestamp(parsed.t);
  if (seconds === null) return fail('the Calendly-Webhook-Signature timestamp is not a number of seconds');
  const age = now.getTime() - seconds * 1000;
  if (Math.abs(age) > CALENDLY_TOLERANCE_MS) {
    return fail(`the Calendly-Webhook-Signature timestamp is ${Math.round(Math.abs(age) / 1000)} s ${age > 0 ? 'old' : 'in the future'}, more than the ${CALENDLY_TOLERANCE_MS / 1000} s allowed`);
  }
  // The timestamp is signed exactly as sent (its digits), then ".", then the body's raw bytes.
  const expected = hmac(secret, [utf8(`${parsed.t}.`), body]);
  let matched = false;
  for (const candidate of parsed.v1) {
    // Every candidate is compared (no early exit) and only 64-hex-digit ones at all.
    if (/^[0-9a-f]{64}$/i.test(candidate) && equalDigests(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched ? OK : fail('Calendly-Webhook-Signature does not match the body');
};
