// What `next/headers` gives a route handler, for benchmarks that call route handlers in process
// (bench/dashboard.ts): cookies() and headers() read the scope of the request being measured, as
// Next's own request scope would. installNextHeadersShim() makes every `require('next/headers')`
// after it resolve here; nothing else of Next is replaced.
import { AsyncLocalStorage } from 'node:async_hooks';
import Module from 'node:module';

interface Scope {
  cookies: Map<string, string>;
  headers: Headers;
}

const storage = new AsyncLocalStorage<Scope>();

function scope(): Scope {
  const current = storage.getStore();
  if (!current) throw new Error('next/headers was read outside a benchmark request');
  return current;
}

export async function cookies() {
  const current = scope();
  return {
    get: (name: string | { name: string }) => {
      const key = typeof name === 'string' ? name : name.name;
      const value = current.cookies.get(key);
      return value === undefined ? undefined : { name: key, value };
    },
    getAll: () => [...current.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => current.cookies.has(name),
    set: (name: string | { name: string; value: string }, value?: string) => {
      if (typeof name === 'string') current.cookies.set(name, value ?? '');
      else current.cookies.set(name.name, name.value);
    },
    delete: (name: string) => current.cookies.delete(name),
  };
}

export async function headers() {
  return scope().headers;
}

export async function draftMode() {
  return { isEnabled: false, enable() {}, disable() {} };
}

/** Runs `fn` as the handling of one request carrying these cookies and headers. */
export function inRequest<T>(request: { cookies: Record<string, string>; headers?: Record<string, string> }, fn: () => Promise<T>): Promise<T> {
  return storage.run({ cookies: new Map(Object.entries(request.cookies)), headers: new Headers(request.headers) }, fn);
}

type Resolve = (request: string, ...rest: unknown[]) => string;

export function installNextHeadersShim(): void {
  const loader = Module as unknown as { _resolveFilename: Resolve };
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolve(this: unknown, request: string, ...rest: unknown[]) {
    if (request === 'next/headers' || request === 'next/headers.js') return __filename;
    return original.call(this, request, ...rest);
  };
}
