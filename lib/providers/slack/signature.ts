// Slack request signing (Events API deliveries): X-Slack-Signature = "v0=" + hex(HMAC-SHA256(
// signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)), and a timestamp more than
// five minutes from now is refused (replay protection).
// Source: https://api.slack.com/authentication/verifying-requests-from-slack — its walk-through
// publishes a test vector, pinned in tests/unit/webhooks/verify.test.ts.
import { equalDigests, fail, hmac, OK, outsideWindow, parseTimestamp, utf8, type SignatureCheck } from '@/lib/webhooks/verify';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';

export const slackSignature: SignatureCheck = ({ body, headers, secret, now }) => {
  const timestamp = headers.get(SLACK_TIMESTAMP_HEADER);
  const signature = headers.get(SLACK_SIGNATURE_HEADER);
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
