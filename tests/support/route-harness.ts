// Calls the app's route handlers in process, as Next would: every app/api/**/route.ts is found on
// disk, its exported method handlers are called with a real `Request` and `{ params }`, and
// `cookies()`/`headers()` from next/headers read a request scope this module controls. The test
// that uses it mocks next/headers with `nextHeadersMock()` (the framework's request scope is the
// only thing replaced; handlers reach the real database through the app's singleton).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Database } from '@/lib/db/engine';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface DiscoveredRoute {
  /** e.g. app/api/workspaces/[workspaceId]/route.ts */
  file: string;
  /** The file's absolute path. */
  absolutePath: string;
  /** e.g. /api/workspaces/[workspaceId] */
  pattern: string;
  /** The dynamic segments, in path order: workspaceId, connectionId, … (catch-alls too). */
  params: { name: string; catchAll: boolean }[];
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every route handler file under app/api, found on disk (so new routes are covered without a list). */
export function discoverRoutes(dir = 'app/api'): DiscoveredRoute[] {
  const found: DiscoveredRoute[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name === 'route.ts' || entry.name === 'route.tsx') found.push(describeRoute(child));
    }
  };
  walk(dir);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

function describeRoute(file: string): DiscoveredRoute {
  // Route groups "(name)" and private folders do not appear in the URL.
  const segments = path.posix
    .dirname(file)
    .replace(/^app/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s));
  const params = segments
    .map((s) => /^\[(\[)?(\.\.\.)?([^\]]+)\]?\]$/.exec(s))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[3], catchAll: Boolean(m[2]) }));
  return { file, absolutePath: path.join(ROOT, file), pattern: `/${segments.join('/')}`, params };
}

export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** The module's exported method handlers. */
export async function loadHandlers(route: DiscoveredRoute): Promise<Partial<Record<HttpMethod, RouteHandler>>> {
  const mod = (await import(/* @vite-ignore */ pathToFileURL(route.absolutePath).href)) as Record<string, unknown>;
  const handlers: Partial<Record<HttpMethod, RouteHandler>> = {};
  for (const method of HTTP_METHODS) if (typeof mod[method] === 'function') handlers[method] = mod[method] as RouteHandler;
  return handlers;
}

/**
 * A param as Next hands it to a handler: decoded from the URL's UTF-8, so never a lone surrogate
 * (a client's invalid UTF-8 arrives as U+FFFD).
 */
export function asDecodedSegment(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The URL path of a route with these param values (each segment percent-encoded as a browser would). */
export function pathOf(route: DiscoveredRoute, values: Record<string, string | string[]>): string {
  return route.pattern.replace(/\[\[?(?:\.\.\.)?([^\]]+)\]?\]/g, (_, name: string) => {
    const value = values[name];
    return (Array.isArray(value) ? value : [value ?? '']).map((v) => encodeURIComponent(asDecodedSegment(v))).join('/');
  });
}

// ---------------------------------------------------------------------------------------------
// The request scope next/headers reads.

interface CookieRecord {
  name: string;
  value: string;
}

interface Scope {
  cookies: Map<string, string>;
  headers: Headers;
  /** Cookies the handler set during the call (Set-Cookie, as the framework would send them). */
  set: CookieRecord[];
}

let scope: Scope = { cookies: new Map(), headers: new Headers(), set: [] };

function cookieStore() {
  const current = scope;
  const list = () => [...current.cookies].map(([name, value]) => ({ name, value }));
  return {
    get: (name: string | { name: string }) => {
      const key = typeof name === 'string' ? name : name.name;
      const value = current.cookies.get(key);
      return value === undefined ? undefined : { name: key, value };
    },
    getAll: (name?: string | { name: string }) => {
      const key = typeof name === 'string' ? name : name?.name;
      return key === undefined ? list() : list().filter((c) => c.name === key);
    },
    has: (name: string) => current.cookies.has(name),
    set: (...args: [string, string, unknown?] | [{ name: string; value: string }]) => {
      const [name, value] = typeof args[0] === 'string' ? [args[0], args[1] as string] : [args[0].name, args[0].value];
      current.cookies.set(name, value);
      current.set.push({ name, value });
    },
    delete: (name: string | { name: string }) => {
      current.cookies.delete(typeof name === 'string' ? name : name.name);
    },
    get size() {
      return current.cookies.size;
    },
    toString: () => list().map((c) => `${c.name}=${c.value}`).join('; '),
    [Symbol.iterator]: () => list().map((c) => [c.name, c] as const)[Symbol.iterator](),
  };
}

/** The module next/headers is mocked with: cookies() and headers() of the call in progress. */
export function nextHeadersMock() {
  return {
    cookies: async () => cookieStore(),
    headers: async () => scope.headers,
    draftMode: async () => ({ isEnabled: false, enable() {}, disable() {} }),
  };
}

export interface RouteAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** Cookies the handler set. */
  setCookies: CookieRecord[];
}

/** Calls one handler as Next would for this request, with `cookies` as the browser's cookies. */
export async function callRoute(
  handler: RouteHandler,
  request: Request,
  params: Record<string, string | string[]>,
  cookies: Record<string, string> = {},
): Promise<RouteAnswer> {
  scope = { cookies: new Map(Object.entries(cookies)), headers: new Headers(request.headers), set: [] };
  const decoded = Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value.map(asDecodedSegment) : asDecodedSegment(value)]),
  );
  try {
    const response = await handler(request, { params: Promise.resolve(decoded) });
    return { status: response.status, headers: response.headers, text: await response.text(), setCookies: scope.set };
  } finally {
    scope = { cookies: new Map(), headers: new Headers(), set: [] };
  }
}

// ---------------------------------------------------------------------------------------------
// The app's database singleton (lib/db/app-database.ts) pointed at the test database.

const DATABASE_KEY = Symbol.for('integration-hub.database');

export function useAsAppDatabase(database: Database): () => void {
  const holder = globalThis as Record<symbol, unknown>;
  const before = holder[DATABASE_KEY];
  holder[DATABASE_KEY] = Promise.resolve(database);
  return () => {
    if (before === undefined) delete holder[DATABASE_KEY];
    else holder[DATABASE_KEY] = before;
  };
}

// ---------------------------------------------------------------------------------------------
// What the process logs while handlers run.

export interface LogCapture {
  lines: string[];
  restore(): void;
}

const LOG_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Captures console output (as the text a log collector would store), and keeps it off the terminal. */
export function captureConsole(): LogCapture {
  const lines: string[] = [];
  const originals = LOG_METHODS.map((m) => [m, console[m]] as const);
  for (const m of LOG_METHODS) {
    console[m] = (...args: unknown[]) => {
      lines.push(`${m}: ${args.map(formatLogArgument).join(' ')}`);
    };
  }
  return {
    lines,
    restore: () => {
      for (const [m, original] of originals) console[m] = original;
    },
  };
}

/** An argument as a console would print it: errors with message, stack and cause, objects as JSON. */
function formatLogArgument(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const own = Object.entries(value).map(([k, v]) => `${k}: ${safeJson(v)}`).join(', ');
    const cause = value.cause !== undefined && depth < 5 ? ` [cause] ${formatLogArgument(value.cause, depth + 1)}` : '';
    return `${value.stack ?? `${value.name}: ${value.message}`} ${own}${cause}`;
  }
  return safeJson(value);
}

function safeJson(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
