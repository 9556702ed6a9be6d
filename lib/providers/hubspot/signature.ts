// HubSpot's request signatures (developers.hubspot.com, "Validating requests"). Deliveries carry
// v3; v1 and v2 are still sent by older apps and workflow webhooks, so they are verified too.
import { decodeBase64Digest, equalDigests, fail, hmac, OK, outsideWindow, parseTimestamp, sha256, utf8, type SignatureCheck, type SignedRequest } from '@/lib/webhooks/verify';

function legacy(version: 'v1' | 'v2', { body, headers, secret, method, url }: SignedRequest) {
  const declared = headers.get('x-hubspot-signature-version');
  if (declared !== null && declared.trim().toLowerCase() !== version) {
    return fail(`X-HubSpot-Signature-Version says ${declared.trim().slice(0, 8)}, expected ${version}`);
  }
  const header = headers.get('x-hubspot-signature');
  if (header === null) return fail('missing X-HubSpot-Signature header');
  if (!/^[0-9a-fA-F]{64}$/.test(header.trim())) return fail('malformed X-HubSpot-Signature header (expected 64 hex digits)');
  let parts: Buffer[];
  if (version === 'v1') {
    parts = [utf8(secret), body];
  } else {
    if (!url) return fail('no request URI was given to verify the HubSpot v2 signature against');
    // v2 signs the URI exactly as HubSpot called it: no decoding (unlike v3).
    parts = [utf8(secret + method + url), body];
  }
  // v1 and v2 are a plain SHA-256 of secret-prefixed content, not an HMAC.
  const expected = sha256(Buffer.concat(parts));
  return equalDigests(expected, Buffer.from(header.trim(), 'hex')) ? OK : fail(`X-HubSpot-Signature (${version}) does not match the request`);
}

/** v1: hex(SHA-256(client secret + body)). */
export const hubspotSignatureV1: SignatureCheck = (request) => legacy('v1', request);
/** v2: hex(SHA-256(client secret + method + URI + body)). */
export const hubspotSignatureV2: SignatureCheck = (request) => legacy('v2', request);

/** v3: base64(HMAC-SHA256(client secret, method + URI + body + timestamp)), timestamp in ms within 5 minutes. */
export const hubspotSignatureV3: SignatureCheck = ({ body, headers, secret, method, url, now }) => {
  if (!url) return fail('no request URI was given to verify the HubSpot v3 signature against');
  const timestamp = headers.get('x-hubspot-request-timestamp');
  const header = headers.get('x-hubspot-signature-v3');
  if (timestamp === null) return fail('missing X-HubSpot-Request-Timestamp header');
  if (header === null) return fail('missing X-HubSpot-Signature-v3 header');
  const ms = parseTimestamp(timestamp);
  if (ms === null) return fail('malformed X-HubSpot-Request-Timestamp header (expected Unix milliseconds)');
  // HubSpot only requires rejecting old requests; a far-future one is refused too, since nothing
  // legitimate carries it and accepting it would stretch the replay window past 5 minutes.
  const stale = outsideWindow(ms, now, 'X-HubSpot-Request-Timestamp');
  if (stale) return stale;
  const signature = decodeBase64Digest(header.trim());
  if (!signature) return fail('malformed X-HubSpot-Signature-v3 header (expected base64 of 32 bytes)');
  const expected = hmac(secret, [utf8(method + hubspotV3Uri(url)), body, utf8(timestamp.trim())]);
  return equalDigests(expected, signature) ? OK : fail('X-HubSpot-Signature-v3 does not match the request');
};

// HubSpot signs v3 URIs with exactly these escapes decoded (developers.hubspot.com, "Validating
// requests", v3 table). Everything else, %20 and %25 included, stays encoded; one pass, so %253A
// stays %253A.
const HUBSPOT_V3_DECODED: Record<string, string> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};

/** The URI as HubSpot's v3 signature covers it. */
export function hubspotV3Uri(uri: string): string {
  return uri.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => HUBSPOT_V3_DECODED[hex.toUpperCase()] ?? escape);
}
