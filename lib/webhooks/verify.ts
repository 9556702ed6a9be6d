// The shared part of webhook signature verification. Each provider's own scheme lives in its
// folder (lib/providers/<id>/signature.ts) as a SignatureCheck built from the helpers below;
// Standard Webhooks (standard.ts) is the one scheme that belongs to no provider. Signatures are
// computed over the exact received bytes: the body is never decoded, re-encoded or parsed here,
// because a single changed byte (re-serialized JSON, a normalized newline) must fail.
// Comparisons go through timingSafeEqual on buffers whose length is fixed by the scheme, never
// by the attacker, so neither the expected digest nor its length leaks through timing. Failure
// reasons name what was wrong without echoing the secret, the expected signature or the header.
import crypto from 'node:crypto';

/** Replay window for timestamped schemes (Slack, HubSpot v3, Standard Webhooks): 5 minutes each way. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export type HeaderSource = Headers | Record<string, string | readonly string[] | undefined>;

export interface VerifyInput {
  /** The request body exactly as received. A string is taken as its UTF-8 bytes. */
  rawBody: Uint8Array | string;
  headers: HeaderSource;
  /** The URL the provider called, as the provider wrote it (Square, HubSpot v2/v3 sign it). */
  url?: string;
  /** The HTTP method (HubSpot v2/v3 sign it); POST when omitted. */
  method?: string;
  secret: string;
  /** Checked against the delivery's timestamp; injected so fixed published vectors stay testable. */
  now: Date;
}

/** What a scheme receives once verifyWebhook has checked the input's shape. */
export interface SignedRequest {
  body: Buffer;
  headers: HeaderReader;
  secret: string;
  url: string | undefined;
  /** Upper-case, POST when the caller gave none. */
  method: string;
  now: Date;
}

/** One verification scheme: pure, synchronous, constant-time in the secret. */
export type SignatureCheck = (request: SignedRequest) => VerifyResult;

export const fail = (reason: string): VerifyResult => ({ ok: false, reason });
export const OK: VerifyResult = { ok: true };

/** Runs a scheme behind the checks every scheme needs; never throws. */
export function verifyWebhook(check: SignatureCheck, input: VerifyInput): VerifyResult {
  try {
    if (typeof check !== 'function') return fail('unknown webhook verification scheme');
    if (typeof input?.secret !== 'string' || input.secret.length === 0) {
      // An empty HMAC key is a valid key anyone can use: refuse rather than verify against it.
      return fail('no webhook secret is configured for this connection');
    }
    if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) return fail('no valid clock reading was given');
    const body = bodyBytes(input.rawBody);
    if (!body) return fail('the request body is not bytes or a string');
    return check({
      body,
      headers: headerReader(input.headers),
      secret: input.secret,
      url: input.url,
      method: (input.method ?? 'POST').toUpperCase(),
      now: input.now,
    });
  } catch {
    // Never let a malformed request surface as a 500 (or an error message carrying inputs).
    return fail('the request could not be verified');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for schemes

export interface HeaderReader {
  /** The header's value (repeated headers joined by ", ", as fetch's Headers does), or null. */
  get(name: string): string | null;
}

function headerReader(source: HeaderSource): HeaderReader {
  if (typeof Headers !== 'undefined' && source instanceof Headers) return { get: (name) => source.get(name) };
  const record = (source ?? {}) as Record<string, unknown>;
  return {
    get(name) {
      const values: string[] = [];
      for (const [key, value] of Object.entries(record)) {
        if (key.toLowerCase() !== name) continue;
        if (typeof value === 'string') values.push(value);
        else if (Array.isArray(value)) values.push(...value.filter((v): v is string => typeof v === 'string'));
      }
      // Two copies of a signature header are ambiguous: joined, they no longer parse, and fail.
      return values.length ? values.join(', ') : null;
    },
  };
}

function bodyBytes(raw: unknown): Buffer | null {
  if (typeof raw === 'string') return utf8(raw);
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return null;
}

export const utf8 = (text: string) => Buffer.from(text, 'utf8');

export function hmac(key: string | Buffer, parts: Buffer[]): Buffer {
  const mac = crypto.createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

export const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest();

export function equalDigests(expected: Buffer, received: Buffer): boolean {
  // The expected length is the digest size, public; only equal-length buffers reach timingSafeEqual.
  return received.length === expected.length && crypto.timingSafeEqual(expected, received);
}

/** Strict base64 of a 32-byte digest: exactly 43 characters and one "=". */
export function decodeBase64Digest(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) return null;
  return Buffer.from(text, 'base64');
}

/** A non-negative decimal integer with no sign, fraction or exponent; null otherwise. */
export function parseTimestamp(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

export function outsideWindow(timestampMs: number, now: Date, header: string): VerifyResult | null {
  const age = now.getTime() - timestampMs;
  if (age > WEBHOOK_TOLERANCE_MS) return fail(`${header} is ${Math.round(age / 1000)} s old, more than the ${WEBHOOK_TOLERANCE_MS / 1000} s allowed`);
  if (-age > WEBHOOK_TOLERANCE_MS) {
    return fail(`${header} is ${Math.round(-age / 1000)} s in the future, more than the ${WEBHOOK_TOLERANCE_MS / 1000} s allowed`);
  }
  return null;
}
