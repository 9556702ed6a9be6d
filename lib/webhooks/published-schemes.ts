// Signature schemes of providers the catalog does not list yet (GitHub, Slack), kept with their
// published test vectors (tests/unit/webhooks/verify.test.ts). Each moves into its provider's
// folder, as lib/providers/<id>/signature.ts, when that provider is added.
import { equalDigests, fail, hmac, OK, outsideWindow, parseTimestamp, utf8, type SignatureCheck } from './verify';

/** GitHub: X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, raw body)). */
export const githubSignature: SignatureCheck = ({ body, headers, secret }) => {
  const header = headers.get('x-hub-signature-256');
  if (header === null) return fail('missing X-Hub-Signature-256 header');
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return fail('malformed X-Hub-Signature-256 header (expected sha256= and 64 hex digits)');
  const expected = hmac(secret, [body]);
  return equalDigests(expected, Buffer.from(match[1], 'hex')) ? OK : fail('X-Hub-Signature-256 does not match the body');
};

/** Slack: X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)). */
export const slackSignature: SignatureCheck = ({ body, headers, secret, now }) => {
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
};
