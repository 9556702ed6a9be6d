// Where to go after signing in: only a path on this site ("/invitations/…"), never another origin.
export function safeNextPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  // "//host" and "/\host" are protocol-relative URLs to another site; control characters are not paths.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001f\\]/.test(value)) {
    return fallback;
  }
  return value;
}
