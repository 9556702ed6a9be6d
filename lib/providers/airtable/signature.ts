// Airtable's notification MAC: `X-Airtable-Content-MAC: hmac-sha256=` + hex(HMAC-SHA256(key, body)),
// the key being the webhook's macSecretBase64 *decoded* to bytes (it is returned once, when the
// webhook is created) and the body the exact bytes received ✔
// (https://airtable.com/developers/web/api/webhooks-overview, "Webhook notification delivery";
// decoding the secret with atob() instead of to raw bytes is the classic mistake:
// community.airtable.com/t5/development-apis/not-able-to-match-x-airtable-content-mac-header-from-webhook/m-p/179349).
// Airtable signs no timestamp: a replayed ping only makes us read payloads from our own cursor,
// which is harmless. Airtable publishes no test vector; the tests compute one independently.
import { equalDigests, fail, hmac, OK, type SignatureCheck } from '@/lib/webhooks/verify';

export const MAC_HEADER = 'x-airtable-content-mac';

/** The MAC secret as bytes: strict base64 of at least 16 bytes, else null. */
export function macKey(secretBase64: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secretBase64) || secretBase64.length % 4 !== 0) return null;
  const key = Buffer.from(secretBase64, 'base64');
  return key.length >= 16 ? key : null;
}

export const airtableMac: SignatureCheck = ({ headers, body, secret }) => {
  const header = headers.get(MAC_HEADER);
  if (header === null) return fail('missing X-Airtable-Content-MAC header');
  const match = /^hmac-sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return fail('X-Airtable-Content-MAC is not "hmac-sha256=<64 hex digits>"');
  const key = macKey(secret);
  if (!key) return fail('the webhook MAC secret is not base64');
  return equalDigests(hmac(key, [body]), Buffer.from(match[1], 'hex')) ? OK : fail('X-Airtable-Content-MAC does not match the body');
};
