// Webhook signature verification for every scheme our providers (and the sandbox) use. Signatures
// are computed over the exact received bytes: the body is never decoded, re-encoded or parsed
// here, because a single changed byte (re-serialized JSON, a normalized newline) must fail.
// Comparisons go through timingSafeEqual on buffers whose length is fixed by the scheme, never
// by the attacker, so neither the expected digest nor its length leaks through timing. Failure
// reasons name what was wrong without echoing the secret, the expected signature or the header.
import crypto from 'node:crypto';
import { z } from 'zod';

export const webhookSchemeSchema = z.enum([
  'github',
  'slack',
  'square',
  'hubspot-v1',
  'hubspot-v2',
  'hubspot-v3',
  'standard-webhooks',
  'google-channel',
]);
export type WebhookScheme = z.infer<typeof webhookSchemeSchema>;
export const WEBHOOK_SCHEMES: readonly WebhookScheme[] = webhookSchemeSchema.options;

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

const fail = (reason: string): VerifyResult => ({ ok: false, reason });
const OK: VerifyResult = { ok: true };

export function verifyWebhook(scheme: WebhookScheme, input: VerifyInput): VerifyResult {
  try {
    if (!webhookSchemeSchema.safeParse(scheme).success) return fail('unknown webhook verification scheme');
    if (typeof input?.secret !== 'string' || input.secret.length === 0) {
      // An empty HMAC key is a valid key anyone can use: refuse rather than verify against it.
      return fail('no webhook secret is configured for this connection');
    }
    if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) return fail('no valid clock reading was given');
    const body = bodyBytes(input.rawBody);
    if (!body) return fail('the request body is not bytes or a string');
    const headers = headerReader(input.headers);
    switch (scheme) {
      case 'github':
        return verifyGithub(body, headers, input.secret);
      case 'slack':
        return verifySlack(body, headers, input.secret, input.now);
      case 'square':
        return verifySquare(body, headers, input.secret, input.url);
      case 'hubspot-v1':
        return verifyHubspotLegacy('v1', body, headers, input.secret, input.method, input.url);
      case 'hubspot-v2':
        return verifyHubspotLegacy('v2', body, headers, input.secret, input.method, input.url);
      case 'hubspot-v3':
        return verifyHubspotV3(body, headers, input.secret, input.method, input.url, input.now);
      case 'standard-webhooks':
        return verifyStandardWebhooks(body, headers, input.secret, input.now);
      case 'google-channel':
        return verifyGoogleChannel(headers, input.secret);
    }
  } catch {
    // Never let a malformed request surface as a 500 (or an error message carrying inputs).
    return fail('the request could not be verified');
  }
}

// ---------------------------------------------------------------------------------------------
// Schemes

function verifyGithub(body: Buffer, headers: HeaderReader, secret: string): VerifyResult {
  const header = headers.get('x-hub-signature-256');
  if (header === null) return fail('missing X-Hub-Signature-256 header');
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return fail('malformed X-Hub-Signature-256 header (expected sha256= and 64 hex digits)');
  const expected = hmac(secret, [body]);
  return equalDigests(expected, Buffer.from(match[1], 'hex')) ? OK : fail('X-Hub-Signature-256 does not match the body');
}

function verifySlack(body: Buffer, headers: HeaderReader, secret: string, now: Date): VerifyResult {
  const timestamp = headers.get('x-slack-request-timestamp');
  const signature = headers.get('x-slack-signature');
  if (timestamp === null) return fail('missing X-Slack-Request-Timestamp header');
  if (signature === null) return fail('missing X-Slack-Signature header');
  const seconds = parseTimestamp(timestamp);
  if (seconds === null) return fail('malformed X-Slack-Request-Timestamp header (expected Unix seconds)');
  const stale = outsideWindow(seconds * 1000, now, 'X-Slack-Request-Timestamp');
  if (stale) return stale;
  const match = /^v0=([0-9a-fA-F]{64})$/.exec(signature.trim());
  if (!match) return fail('malformed X-Slack-Signature header (expected v0= and 64 hex digits)');
  // The timestamp is signed exactly as sent (a header of " 0123" must not verify as "123").
  const expected = hmac(secret, [utf8(`v0:${timestamp.trim()}:`), body]);
  return equalDigests(expected, Buffer.from(match[1], 'hex')) ? OK : fail('X-Slack-Signature does not match the request');
}

function verifySquare(body: Buffer, headers: HeaderReader, secret: string, url: string | undefined): VerifyResult {
  if (!url) return fail('no notification URL is configured to verify the Square signature against');
  const header = headers.get('x-square-hmacsha256-signature');
  if (header === null) return fail('missing x-square-hmacsha256-signature header');
  const signature = decodeBase64Digest(header.trim());
  if (!signature) return fail('malformed x-square-hmacsha256-signature header (expected base64 of 32 bytes)');
  // The subscription's notification URL, byte for byte: a trailing slash or re-ordered query fails.
  const expected = hmac(secret, [utf8(url), body]);
  return equalDigests(expected, signature) ? OK : fail('x-square-hmacsha256-signature does not match the notification URL and body');
}

function verifyHubspotLegacy(
  version: 'v1' | 'v2',
  body: Buffer,
  headers: HeaderReader,
  secret: string,
  method: string | undefined,
  url: string | undefined,
): VerifyResult {
  const declared = headers.get('x-hubspot-signature-version');
  if (declared !== null && declared.trim().toLowerCase() !== version) {
    return fail(`X-HubSpot-Signature-Version says ${declared.trim().slice(0, 8)}, expected ${version}`);
  }
  const header = headers.get('x-hubspot-signature');
  if (header === null) return fail('missing X-HubSpot-Signature header');
  if (!/^[0-9a-fA-F]{64}$/.test(header.trim())) return fail('malformed X-HubSpot-Signature header (expected 64 hex digits)');
  let parts: Buffer[];
  if (version === 'v1') {
    parts = [utf8(secret), body];
  } else {
    if (!url) return fail('no request URI was given to verify the HubSpot v2 signature against');
    // v2 signs the URI exactly as HubSpot called it: no decoding (unlike v3).
    parts = [utf8(secret + httpMethod(method) + url), body];
  }
  // v1 and v2 are a plain SHA-256 of secret-prefixed content, not an HMAC.
  const expected = crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
  return equalDigests(expected, Buffer.from(header.trim(), 'hex')) ? OK : fail(`X-HubSpot-Signature (${version}) does not match the request`);
}

function verifyHubspotV3(
  body: Buffer,
  headers: HeaderReader,
  secret: string,
  method: string | undefined,
  url: string | undefined,
  now: Date,
): VerifyResult {
  if (!url) return fail('no request URI was given to verify the HubSpot v3 signature against');
  const timestamp = headers.get('x-hubspot-request-timestamp');
  const header = headers.get('x-hubspot-signature-v3');
  if (timestamp === null) return fail('missing X-HubSpot-Request-Timestamp header');
  if (header === null) return fail('missing X-HubSpot-Signature-v3 header');
  const ms = parseTimestamp(timestamp);
  if (ms === null) return fail('malformed X-HubSpot-Request-Timestamp header (expected Unix milliseconds)');
  // HubSpot only requires rejecting old requests; a far-future one is refused too, since nothing
  // legitimate carries it and accepting it would stretch the replay window past 5 minutes.
  const stale = outsideWindow(ms, now, 'X-HubSpot-Request-Timestamp');
  if (stale) return stale;
  const signature = decodeBase64Digest(header.trim());
  if (!signature) return fail('malformed X-HubSpot-Signature-v3 header (expected base64 of 32 bytes)');
  const expected = hmac(secret, [utf8(httpMethod(method) + hubspotV3Uri(url)), body, utf8(timestamp.trim())]);
  return equalDigests(expected, signature) ? OK : fail('X-HubSpot-Signature-v3 does not match the request');
}

// HubSpot signs v3 URIs with exactly these escapes decoded (developers.hubspot.com, "Validating
// requests", v3 table). Everything else, %20 and %25 included, stays encoded; one pass, so %253A
// stays %253A.
const HUBSPOT_V3_DECODED: Record<string, string> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};

/** The URI as HubSpot's v3 signature covers it. */
export function hubspotV3Uri(uri: string): string {
  return uri.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => HUBSPOT_V3_DECODED[hex.toUpperCase()] ?? escape);
}

function verifyStandardWebhooks(body: Buffer, headers: HeaderReader, secret: string, now: Date): VerifyResult {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (id === null || id.trim() === '') return fail('missing webhook-id header');
  if (timestamp === null) return fail('missing webhook-timestamp header');
  if (signatures === null) return fail('missing webhook-signature header');
  const seconds = parseTimestamp(timestamp);
  if (seconds === null) return fail('malformed webhook-timestamp header (expected Unix seconds)');
  const stale = outsideWindow(seconds * 1000, now, 'webhook-timestamp');
  if (stale) return stale;
  const key = standardWebhooksKey(secret);
  if (!key) return fail('the configured Standard Webhooks secret is not whsec_ followed by base64');
  const expected = hmac(key, [utf8(`${id.trim()}.${timestamp.trim()}.`), body]);
  // Several signatures appear while a secret rotates; other versions (v1a, …) are not ours to check.
  const candidates = signatures
    .trim()
    .split(/\s+/)
    .map((entry) => /^v1,(.+)$/.exec(entry)?.[1])
    .filter((value): value is string => value !== undefined);
  if (candidates.length === 0) return fail('webhook-signature carries no v1 signature');
  let matched = false;
  for (const candidate of candidates) {
    const signature = decodeBase64Digest(candidate);
    // Check every candidate so the position of a match does not show in the timing.
    if (signature && equalDigests(expected, signature)) matched = true;
  }
  return matched ? OK : fail('no webhook-signature entry matches the message');
}

function standardWebhooksKey(secret: string): Buffer | null {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : null;
}

function verifyGoogleChannel(headers: HeaderReader, secret: string): VerifyResult {
  const token = headers.get('x-goog-channel-token');
  if (token === null) return fail('missing X-Goog-Channel-Token header');
  // Tokens have any length: compare fixed-length digests so the length does not leak either.
  const matches = equalDigests(sha256(utf8(token)), sha256(utf8(secret)));
  return matches ? OK : fail('X-Goog-Channel-Token does not match the channel');
}

// ---------------------------------------------------------------------------------------------
// Helpers

interface HeaderReader {
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

const utf8 = (text: string) => Buffer.from(text, 'utf8');

function hmac(key: string | Buffer, parts: Buffer[]): Buffer {
  const mac = crypto.createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest();

function equalDigests(expected: Buffer, received: Buffer): boolean {
  // The expected length is the digest size, public; only equal-length buffers reach timingSafeEqual.
  return received.length === expected.length && crypto.timingSafeEqual(expected, received);
}

/** Strict base64 of a 32-byte digest: exactly 43 characters and one "=". */
function decodeBase64Digest(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) return null;
  return Buffer.from(text, 'base64');
}

/** A non-negative decimal integer with no sign, fraction or exponent; null otherwise. */
function parseTimestamp(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

function outsideWindow(timestampMs: number, now: Date, header: string): VerifyResult | null {
  const age = now.getTime() - timestampMs;
  if (age > WEBHOOK_TOLERANCE_MS) return fail(`${header} is ${Math.round(age / 1000)} s old, more than the ${WEBHOOK_TOLERANCE_MS / 1000} s allowed`);
  if (-age > WEBHOOK_TOLERANCE_MS) {
    return fail(`${header} is ${Math.round(-age / 1000)} s in the future, more than the ${WEBHOOK_TOLERANCE_MS / 1000} s allowed`);
  }
  return null;
}

function httpMethod(method: string | undefined): string {
  return (method ?? 'POST').toUpperCase();
}
