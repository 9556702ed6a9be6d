// Mindbody's webhook signature: `X-Mindbody-Signature: sha256=` + base64(HMAC-SHA256(key, body)),
// the key being the subscription's messageSignatureKey (returned once, when the subscription is
// created) and the body the exact bytes received, UTF-8 ~ (developers.mindbodyonline.com/
// WebhooksDocumentation, "X-Mindbody-Signature Header"; the create-subscription model in
// github.com/api-evangelist/mindbody refers to it ✔). Mindbody signs no timestamp: a replay is
// caught by the delivery's messageId (deduplicated), not here. Mindbody publishes no test vector.
import { decodeBase64Digest, equalDigests, fail, hmac, OK, type SignatureCheck } from '@/lib/webhooks/verify';

export const SIGNATURE_HEADER = 'x-mindbody-signature';

export const mindbodySignature: SignatureCheck = ({ headers, body, secret }) => {
  const header = headers.get(SIGNATURE_HEADER);
  if (header === null) return fail('missing X-Mindbody-Signature header');
  const match = /^sha256=(\S+)$/.exec(header.trim());
  if (!match) return fail('X-Mindbody-Signature is not "sha256=<base64 digest>"');
  const received = decodeBase64Digest(match[1]);
  if (!received) return fail('X-Mindbody-Signature does not hold a base64 SHA-256 digest');
  return equalDigests(hmac(secret, [body]), received) ? OK : fail('X-Mindbody-Signature does not match the body');
};
