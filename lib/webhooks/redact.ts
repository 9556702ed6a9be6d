// What of a delivery may be stored beside it and shown on the Webhooks page. Signatures, channel
// tokens, cookies and authorization headers are replaced before the headers are stored; payloads
// are stored as received (processing needs them whole) and redacted whenever they are shown.

export const REDACTED = '[redacted]';

const SECRET_NAME = /authorization|cookie|token|secret|signature|password|passwd|api[-_]?key|credential|session/i;
const MAX_HEADER_VALUE = 512;
const MAX_HEADERS = 60;

/** Names that only describe a secret (its version, its timestamp) are not one. */
const DESCRIBES_SECRET = /[-_](version|timestamp|algorithm)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !DESCRIBES_SECRET.test(name);
}

/** Headers as stored: lower-case names, secrets replaced, long values cut. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  let kept = 0;
  headers.forEach((value, name) => {
    if (kept >= MAX_HEADERS) return;
    kept += 1;
    out[name] = isSecretName(name) ? REDACTED : value.length > MAX_HEADER_VALUE ? `${value.slice(0, MAX_HEADER_VALUE)}…` : value;
  });
  return out;
}

/** A URL with the values of secret-looking query parameters replaced (some senders put a secret there). */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.slice(0, 300);
  }
  let changed = false;
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretName(key) || /^(key|sig|code)$/i.test(key)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/** A payload for display: values under secret-looking keys replaced, at any depth. */
export function redactPayload(value: unknown, depth = 0): unknown {
  if (depth > 40) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactPayload(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        isSecretName(key) && item !== null ? REDACTED : redactPayload(item, depth + 1),
      ]),
    );
  }
  return value;
}
