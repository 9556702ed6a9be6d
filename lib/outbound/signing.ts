// Signing outbound deliveries to the Standard Webhooks specification (standardwebhooks.com): we are
// the sender. The signed content is `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 with
// the secret's base64-decoded bytes (after `whsec_`), sent as `v1,<base64>`. While a secret
// rotates, every valid secret signs and the header carries the signatures space-separated, so a
// receiver holding either the old or the new secret verifies. lib/webhooks/standard.ts is the
// verifying side of the same scheme for deliveries we receive.
import crypto from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

export function newEndpointSecret(): string {
  return `${SECRET_PREFIX}${crypto.randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

export function signatureOf(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const digest = crypto.createHmac('sha256', keyOf(secret)).update(`${msgId}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${digest}`;
}

/** The three headers of a delivery; `secrets` is every secret valid now (current first). */
export function signedHeaders(secrets: readonly string[], msgId: string, timestampSeconds: number, body: string): Record<string, string> {
  if (secrets.length === 0) throw new Error('An endpoint without a signing secret cannot be sent to.');
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((secret) => signatureOf(secret, msgId, timestampSeconds, body)).join(' '),
  };
}
