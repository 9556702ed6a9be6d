// X-Acuity-Signature: base64(HMAC-SHA256(API key, raw body)), with no timestamp. The key is the
// API key of the user who created the webhook (dynamic webhooks) or of the main admin (static ones).
// Source: https://developers.acuityscheduling.com/docs/webhooks ("Verifying Webhook Requests").
// Acuity publishes no test vector; its SDKs' verifyMessageSignature helpers compute the same digest
// (the tests pin this check to an independent computation).
import { decodeBase64Digest, equalDigests, fail, hmac, OK, type SignatureCheck } from '@/lib/webhooks/verify';

export const ACUITY_SIGNATURE_HEADER = 'x-acuity-signature';

export const acuitySignature: SignatureCheck = ({ body, headers, secret }) => {
  const header = headers.get(ACUITY_SIGNATURE_HEADER);
  if (header === null) return fail('missing X-Acuity-Signature header');
  const received = decodeBase64Digest(header.trim());
  if (!received) return fail('X-Acuity-Signature is not a base64 SHA-256 digest');
  return equalDigests(hmac(secret, [body]), received) ? OK : fail('X-Acuity-Signature does not match the body');
};
