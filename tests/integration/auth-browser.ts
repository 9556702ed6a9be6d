// Browsers for the auth tests: each keeps its own cookies (as a browser would, across requests)
// and sends its own headers (X-Forwarded-For as the proxy in front would have written it, a
// User-Agent). Route handlers are called in process; next/headers answers from the browser
// making the current call. Use:
//   vi.mock('next/headers', () => import('./auth-browser').then((m) => m.nextHeadersMock));
//   vi.mock('@/lib/db/app-database', () => import('./auth-browser').then((m) => m.appDatabaseMock));
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '@/lib/db/engine';

export const APP = 'http://hub.test';

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly forwardedFor: string | null = null,
    readonly userAgent = 'Mozilla/5.0 (test browser)',
  ) {}

  get session(): string | undefined {
    return this.cookies.get('ih_session');
  }
}

// The call in progress (concurrent calls each see their own browser).
const calls = new AsyncLocalStorage<{ browser: Browser; headers: Headers }>();
const current = () => calls.getStore() ?? { browser: new Browser(), headers: new Headers() };
const scope: { db: Db | null } = { db: null };

export function useDb(db: Db): void {
  scope.db = db;
}

export const nextHeadersMock = {
  cookies: async () => {
    const jar = current().browser.cookies;
    return {
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      has: (name: string) => jar.has(name),
      set: (name: string, value: string) => jar.set(name, value),
      delete: (name: string) => jar.delete(name),
    };
  },
  headers: async () => current().headers,
};

export const appDatabaseMock = {
  getDb: async () => {
    if (!scope.db) throw new Error('auth-browser: call useDb(db) first');
    return scope.db;
  },
};

type Route = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Calls a route handler as `browser`: its cookies, its headers; a JSON body when given. */
export async function send(
  browser: Browser,
  route: Route,
  path: string,
  options: { method?: string; body?: unknown; params?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers({ host: 'hub.test', 'user-agent': browser.userAgent });
  if (browser.forwardedFor) headers.set('x-forwarded-for', browser.forwardedFor);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(`${APP}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return calls.run({ browser, headers: new Headers(request.headers) }, () => route(request, { params: Promise.resolve(options.params ?? {}) }));
}
