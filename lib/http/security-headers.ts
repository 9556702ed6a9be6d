// The security headers every answer carries (set by proxy.ts). Pages get a per-request nonce
// Content-Security-Policy: Next reads the nonce back from the request's CSP header and puts it on
// its own scripts, and app/layout.tsx puts it on the inline theme script. Pure functions of the
// request, so they are tested without a server.

/** The request header app/layout.tsx reads the nonce from (proxy.ts sets it on the request). */
export const NONCE_HEADER = 'x-nonce';

export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether the browser reached us over https: the URL, or the first X-Forwarded-Proto a TLS
 * terminating proxy set. Trusting the header is harmless here: it only decides whether to send
 * HSTS, which a browser ignores on a plain-http answer anyway.
 */
export function isHttpsRequest(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return new URL(request.url).protocol === 'https:';
}

interface PolicyOptions {
  https: boolean;
  /** Development (next dev): React's debugging needs eval. Never in production. */
  development: boolean;
}

/**
 * The page policy. Scripts: only ours, by nonce; 'strict-dynamic' lets those load Next's chunks.
 * Styles allow inline: React renders style attributes (widths, colours) and Radix's scroll lock
 * injects a <style> element, neither of which can carry a nonce; injected CSS cannot run code.
 */
export function pageContentSecurityPolicy(nonce: string, { https, development }: PolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** JSON and redirects: nothing in them may load or run anything, or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** The headers that do not depend on what is answered. */
export function baseSecurityHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
    // For browsers without CSP frame-ancestors.
    'x-frame-options': 'DENY',
    ...(https ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

/**
 * An API answer with the headers proxy.ts gives API answers, for routes the proxy skips (webhook
 * addresses: see proxy.ts). Answers with immutable headers (redirects) are copied.
 */
export function withApiSecurityHeaders(request: Request, response: Response): Response {
  const headers: Record<string, string> = { 'content-security-policy': API_CONTENT_SECURITY_POLICY, ...baseSecurityHeaders({ https: isHttpsRequest(request) }) };
  let answer = response;
  try {
    for (const [name, value] of Object.entries(headers)) answer.headers.set(name, value);
  } catch {
    answer = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) answer.headers.set(name, value);
  }
  return answer;
}
