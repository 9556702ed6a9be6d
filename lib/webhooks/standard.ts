// Deliveries to a connection's generic endpoint, signed with the Standard Webhooks scheme
// (standardwebhooks.com): any tool that can post a webhook can tell us "something changed".
// The payload is the sender's own; we read only what the spec recommends (`type`, `timestamp`)
// and never store a record from it. A `type` whose first segment names one of the connection's
// resources (`contacts.updated`) syncs that resource; anything else syncs the whole connection.
import { z } from 'zod';
import type { ParsedDelivery } from './types';
import { decodeBase64Digest, equalDigests, fail, hmac, OK, outsideWindow, parseTimestamp, utf8, type SignatureCheck } from './verify';

export const STANDARD_WEBHOOKS_SCHEME = 'standard-webhooks';
export const STANDARD_WEBHOOKS_LABEL = 'Standard Webhooks signature';

const standardPayload = z.looseObject({
  type: z.string().min(1).max(200).optional(),
  timestamp: z.string().max(64).optional(),
});

export function parseStandardDelivery(body: unknown, webhookId: string, resources: readonly string[]): ParsedDelivery {
  const parsed = standardPayload.safeParse(body);
  const payload = parsed.success ? parsed.data : {};
  const eventType = payload.type ?? 'webhook';
  const prefix = eventType.split(/[.:/]/)[0];
  const occurred = payload.timestamp ? Date.parse(payload.timestamp) : NaN;
  return {
    eventId: webhookId,
    eventType,
    accountId: '',
    // Null here means every resource of the connection (see process.ts), not "nothing we sync".
    resource: resources.includes(prefix) ? prefix : null,
    change: { kind: 'sync' },
    occurredAt: Number.isNaN(occurred) ? null : new Date(occurred).toISOString(),
  };
}

/** webhook-signature: space-separated "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>". */
export const standardWebhooksSignature: SignatureCheck = ({ body, headers, secret, now }) => {
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
};

function standardWebhooksKey(secret: string): Buffer | null {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : null;
}
