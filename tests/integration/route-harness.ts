// Calls the app's route handlers in-process, as Next would: `next/headers` answers from an
// in-memory cookie jar and the current request's headers, and getDb() returns the test database.
// Use: vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));
import type { Database } from '@/lib/db/engine';
import { SESSION_COOKIE, signSessionToken, type SessionUser } from '@/lib/auth/session-token';

const jar = new Map<string, string>();
let currentHeaders = new Headers();

type CookieInit = string | { name: string; value?: string };

export const nextHeaders = {
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => jar.has(name),
    set: (name: CookieInit, value?: string) => {
      if (typeof name === 'string') jar.set(name, value ?? '');
      else jar.set(name.name, name.value ?? '');
    },
    delete: (name: CookieInit) => jar.delete(typeof name === 'string' ? name : name.name),
  }),
  headers: async () => currentHeaders,
};

/** Points the app's getDb() at the test database (lib/db/app-database.ts keeps it on globalThis). */
export function useDatabase(database: Database): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for('integration-hub.database')] = Promise.resolve(database);
}

export function releaseDatabase(): void {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('integration-hub.database')];
}

/** Signs in (a session cookie in the jar) as `user`, or signs out with null. */
export async function actAs(user: SessionUser | null): Promise<void> {
  jar.clear();
  if (user) jar.set(SESSION_COOKIE, await signSessionToken(user));
}

export function cookieNames(): string[] {
  return [...jar.keys()];
}

type Route = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface Call {
  method?: string;
  params?: Record<string, string>;
  /** A JSON body (serialized as given when it is a string). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls a route handler with a request to `url` (relative to http://hub.test). */
export async function call(route: Route, url: string, { method = 'GET', params = {}, body, headers = {} }: Call = {}): Promise<Response> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const request = new Request(new URL(url, 'http://hub.test'), init);
  currentHeaders = new Headers(request.headers);
  return route(request, { params: Promise.resolve(params) });
}
