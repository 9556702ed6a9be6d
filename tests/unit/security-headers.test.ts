// proxy.ts: every answer carries the security headers; pages get a fresh nonce CSP that Next and
// the layout can read from the request; HSTS only over https; eval only outside production.
import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isHttpsRequest, pageContentSecurityPolicy, withApiSecurityHeaders } from '@/lib/http/security-headers';
import { config, proxy } from '@/proxy';

const nonceOf = (policy: string | null) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? '')?.[1];

afterEach(() => vi.unstubAllEnvs());

describe('proxy security headers', () => {
  it('gives a page a fresh nonce CSP, on the answer and on the request Next renders', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const first = proxy(new NextRequest('http://localhost/w/123/integrations'));
    const second = proxy(new NextRequest('http://localhost/w/123/integrations'));
    const policy = first.headers.get('content-security-policy')!;
    const nonce = nonceOf(policy)!;
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(nonceOf(second.headers.get('content-security-policy'))).not.toBe(nonce);
    for (const directive of [
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "object-src 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('upgrade-insecure-requests');
    // NextResponse.next({ request: { headers } }) hands these to the render (layout, Next's scripts).
    expect(first.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
    expect(first.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('strict-transport-security')).toBeNull();
  });

  it("allows eval only outside production (React's development tooling)", () => {
    vi.stubEnv('NODE_ENV', 'development');
    expect(proxy(new NextRequest('http://localhost/')).headers.get('content-security-policy')).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy('n', { https: false, development: false })).not.toContain('unsafe-eval');
  });

  it('sends HSTS (and upgrades subresources) only over https, told by the URL or X-Forwarded-Proto', () => {
    const viaProxy = proxy(new NextRequest('http://localhost/sign-in', { headers: { 'x-forwarded-proto': 'https' } }));
    expect(viaProxy.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(viaProxy.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(proxy(new NextRequest('https://hub.example/sign-in')).headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(proxy(new NextRequest('http://localhost/sign-in')).headers.get('strict-transport-security')).toBeNull();
    expect(isHttpsRequest(new Request('https://hub.example/', { headers: { 'x-forwarded-proto': 'http' } }))).toBe(false);
    expect(isHttpsRequest(new Request('http://hub.example/', { headers: { 'x-forwarded-proto': 'https, http' } }))).toBe(true);
  });

  it('gives API answers the same headers and a CSP that allows nothing, without a nonce', () => {
    const response = proxy(new NextRequest('https://hub.example/api/me'));
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get('x-middleware-request-x-nonce')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('runs on pages and API routes, not on built static assets', () => {
    const [matcher] = config.matcher;
    const matches = (path: string) => new RegExp(`^${matcher}$`).test(path);
    for (const path of ['/', '/sign-in', '/w/1/integrations', '/api/me', '/api/oauth/hubspot/start', '/icon.svg']) expect(matches(path), path).toBe(true);
    for (const path of ['/_next/static/chunks/a.js', '/_next/image', '/favicon.ico']) expect(matches(path), path).toBe(false);
  });

  it('leaves webhook addresses to their routes, which give their answers the same API headers', () => {
    const [matcher] = config.matcher;
    const matches = (path: string) => new RegExp(`^${matcher}$`).test(path);
    for (const path of ['/api/webhooks/hubspot', '/api/webhooks/connections/1']) expect(matches(path), path).toBe(false);
    expect(matches('/api/webhooksx')).toBe(true);
    const names = ['content-security-policy', 'referrer-policy', 'x-content-type-options', 'x-frame-options', 'strict-transport-security'];
    const viaProxy = proxy(new NextRequest('https://hub.example/api/me'));
    const request = new Request('https://hub.example/api/webhooks/hubspot', { method: 'POST' });
    const answers = [withApiSecurityHeaders(request, Response.json({ ok: true })), withApiSecurityHeaders(request, Response.redirect('https://hub.example/', 303))];
    for (const answer of answers) for (const name of names) expect(answer.headers.get(name), name).toBe(viaProxy.headers.get(name));
    // A redirect's headers are immutable: the copy keeps its status and location.
    expect(answers[1].status).toBe(303);
    expect(answers[1].headers.get('location')).toBe('https://hub.example/');
  });
});
