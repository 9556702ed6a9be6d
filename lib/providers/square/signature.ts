// Square's webhook signature (developer.squareup.com/docs/webhooks/step3validate):
// x-square-hmacsha256-signature = base64(HMAC-SHA256(signature key, notification URL + raw body)).
import { decodeBase64Digest, equalDigests, fail, hmac, OK, utf8, type SignatureCheck } from '@/lib/webhooks/verify';

export const squareSignature: SignatureCheck = ({ body, headers, secret, url }) => {
  if (!url) return fail('no notification URL is configured to verify the Square signature against');
  const header = headers.get('x-square-hmacsha256-signature');
  if (header === null) return fail('missing x-square-hmacsha256-signature header');
  const signature = decodeBase64Digest(header.trim());
  if (!signature) return fail('malformed x-square-hmacsha256-signature header (expected base64 of 32 bytes)');
  // The subscription's notification URL, byte for byte: a trailing slash or re-ordered query fails.
  const expected = hmac(secret, [utf8(url), body]);
  return equalDigests(expected, signature) ? OK : fail('x-square-hmacsha256-signature does not match the notification URL and body');
};
