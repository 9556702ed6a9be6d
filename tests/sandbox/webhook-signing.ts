// How the sandbox signs the webhook deliveries it sends: the shared HMAC helper every provider's
// signer uses (each provider folder's webhooks.ts signs exactly as that provider does) and the
// Standard Webhooks scheme, which is no one provider's. These are written apart from the app's
// verifiers on purpose: a verifier tested only against its own signer would agree with itself
// about any mistake. Both are pinned to the published test vectors instead
// (tests/unit/webhooks/signing.test.ts and verify.test.ts).
import crypto from 'node:crypto';

export type Bytes = string | Uint8Array;

export const asBuffer = (value: Bytes) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value));

export function hmacSha256(key: Buffer | string, ...parts: Bytes[]): Buffer {
  const mac = crypto.createHmac('sha256', key);
  parts.forEach((part) => mac.update(asBuffer(part)));
  return mac.digest();
}

// ---------------------------------------------------------------------------------------------
// Standard Webhooks

/** The three Standard Webhooks headers; several secrets give several signatures, as during rotation. */
export function signStandardWebhooks(options: { id: string; timestampSeconds: number; body: Bytes; secret: string | string[] }): Record<string, string> {
  const timestamp = String(Math.trunc(options.timestampSeconds));
  const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    return `v1,${hmacSha256(key, `${options.id}.${timestamp}.`, options.body).toString('base64')}`;
  });
  return { 'webhook-id': options.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
