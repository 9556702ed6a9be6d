// GitHub webhook signatures: X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, raw body)).
// Source: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries, whose
// "Testing the webhook payload validation" section publishes the test vector
// tests/unit/webhooks/verify.test.ts checks (secret "It's a Secret to Everybody", body
// "Hello, World!"). GitHub signs no timestamp: replays are caught by X-GitHub-Delivery dedupe.
import { equalDigests, fail, hmac, OK, type SignatureCheck } from '@/lib/webhooks/verify';

export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';

export const githubSignature: SignatureCheck = ({ body, headers, secret }) => {
  const header = headers.get(GITHUB_SIGNATURE_HEADER);
  if (header === null) return fail('missing X-Hub-Signature-256 header');
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return fail('malformed X-Hub-Signature-256 header (expected sha256= and 64 hex digits)');
  const expected = hmac(secret, [body]);
  return equalDigests(expected, Buffer.from(match[1], 'hex')) ? OK : fail('X-Hub-Signature-256 does not match the body');
};
