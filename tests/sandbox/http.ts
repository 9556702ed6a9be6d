// Request context, replies as plain data, and the body parsing every provider shares.
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxState } from './state';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Closes the connection instead of answering (a write that committed, then lost its response). */
  drop?: boolean;
}

export interface RequestContext {
  method: string;
  /** The real provider host, taken from the first path segment. */
  host: string;
  /** The real provider path. */
  path: string;
  query: URLSearchParams;
  /** The query string exactly as received, without '?'. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  state: SandboxState;
  /** How the caller reached the sandbox (from its Host header), e.g. http://localhost:4010. */
  publicBaseUrl: string;
  /** Named groups of the route's pattern, percent-decoded ({} for exact routes). */
  params: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** One or more real hosts (a provider may serve some paths on every customer's own host). */
  hosts: string[];
  path: string;
  /** Matches paths with variable parts (ids, locators); `path` then only documents the route. */
  pattern?: RegExp;
  /**
   * For two providers sharing one server (Google's OAuth endpoints serve Calendar and Gmail): this
   * route takes only the requests it claims (its own client_id, its own tokens). Claiming routes are
   * tried first; a route without `claims` takes the rest.
   */
  claims?(ctx: RequestContext): boolean;
  handle(ctx: RequestContext): Reply | Promise<Reply>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

export function text(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { location, 'cache-control': 'no-store' } };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function mediaType(ctx: RequestContext): string {
  return (ctx.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * application/x-www-form-urlencoded only. A parameter sent twice is refused, as RFC 6749 §3.2
 * requires of token endpoints.
 */
export function readForm(ctx: RequestContext): Parsed<Record<string, string>> {
  if (mediaType(ctx) !== 'application/x-www-form-urlencoded') {
    return { ok: false, reason: 'The request body must be application/x-www-form-urlencoded.' };
  }
  const params = new URLSearchParams(ctx.body.toString('utf8'));
  const value: Record<string, string> = {};
  for (const [key, entry] of params) {
    if (key in value) return { ok: false, reason: `The parameter ${key} was sent more than once.` };
    value[key] = entry;
  }
  return { ok: true, value };
}

/** application/json with an object body only; non-string fields are kept as they are. */
export function readJson(ctx: RequestContext): Parsed<Record<string, unknown>> {
  if (mediaType(ctx) !== 'application/json') return { ok: false, reason: 'The request body must be application/json.' };
  try {
    const value: unknown = JSON.parse(ctx.body.toString('utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'The JSON body must be an object.' };
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'The request body is not valid JSON.' };
  }
}

export function bearerToken(ctx: RequestContext): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.headers.authorization ?? '');
  return match?.[1];
}
