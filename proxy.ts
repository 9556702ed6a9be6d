// Security headers on every answer (lib/http/security-headers.ts): a per-request nonce CSP on
// pages, a locked-down CSP on API answers, and Referrer-Policy, X-Content-Type-Options,
// X-Frame-Options and (over https) HSTS on both. Not an authorization layer: every route handler
// and page checks the session itself.
import { NextResponse, type NextRequest } from 'next/server';
import {
  API_CONTENT_SECURITY_POLICY,
  baseSecurityHeaders,
  createNonce,
  isHttpsRequest,
  NONCE_HEADER,
  pageContentSecurityPolicy,
} from './lib/http/security-headers';

export function proxy(request: NextRequest): NextResponse {
  const https = isHttpsRequest(request);
  const api = request.nextUrl.pathname === '/api' || request.nextUrl.pathname.startsWith('/api/');
  let policy = API_CONTENT_SECURITY_POLICY;
  let response: NextResponse;
  if (api) {
    response = NextResponse.next();
  } else {
    const nonce = createNonce();
    policy = pageContentSecurityPolicy(nonce, { https, development: process.env.NODE_ENV !== 'production' });
    // Next finds the nonce in the request's CSP header and puts it on its own scripts.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(NONCE_HEADER, nonce);
    requestHeaders.set('content-security-policy', policy);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set('content-security-policy', policy);
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https }))) response.headers.set(name, value);
  return response;
}

export const config = {
  // Built assets are immutable files with their own types; everything else gets the headers.
  // Webhook addresses set the same API headers themselves (lib/webhooks/route.ts, withApiSecurityHeaders): they are the
  // hottest route, and running the proxy costs each delivery a tenth of its CPU (bench:webhooks).
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/webhooks/).*)'],
};
