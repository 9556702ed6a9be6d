// Minimal reference clients for the sandbox's data endpoints, one per dataset (each provider folder
// writes its own): each pages through a full listing and an incremental one the way a sync engine
// would, one page per step(), so tests can interleave mutations and faults. Records come back as
// { id, deleted } plus the raw item. This file holds what they share.

/** Provider JSON, loosely typed: these are tests poking at wire formats. */
export type Json = Record<string, any>;

export interface Listed {
  id: string;
  deleted: boolean;
  raw: Json;
}

export interface Step {
  status: number;
  headers: Headers;
  body: Json;
  records: Listed[];
  /** The next page's state; undefined when the listing is complete (or the step failed). */
  next?: Json;
  /** On the last page: where the next incremental listing starts. */
  cursor?: Json;
}

export interface ListingClient {
  /** '<provider id>.<resource>' */
  key: string;
  provider: string;
  /** First page state: a full listing, or an incremental one from a previous cursor. */
  start(cursor?: Json): Json;
  step(state: Json): Promise<Step>;
}

export interface ClientOptions {
  /** Sandbox base URL, e.g. http://127.0.0.1:4010 */
  base: string;
  /** The access token to send; an empty string sends no Authorization header. */
  token(provider: string): string;
  pageSize?: number;
}

export interface Called {
  status: number;
  headers: Headers;
  body: Json;
}

/** What a provider's listing client is handed: one authenticated call to a real URL, and the page size. */
export interface ListingApi {
  call(realUrl: string, init?: { method?: string; json?: unknown; headers?: Record<string, string> }): Promise<Called>;
  size: number;
}

export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
/** The newest of some timestamps (+0000 offsets included), at least `floor`. */
export const maxMs = (values: (string | undefined)[], floor = 0) =>
  values.reduce((max, v) => Math.max(max, v ? Date.parse(v.replace(/\+0000$/, 'Z')) : 0), floor);
/** A step that stopped on a non-200 answer. */
export const failed = (r: Called): Step => ({ ...r, records: [] });

/** The call a provider's clients make: the sandbox URL of a real one, the bearer token, the provider's fixed headers. */
export function listingApi(options: ClientOptions, provider: string, fixedHeaders: Readonly<Record<string, string>> = {}): ListingApi {
  return {
    size: options.pageSize ?? 100,
    async call(realUrl, init = {}) {
      const url = new URL(realUrl);
      const token = options.token(provider);
      const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers, ...fixedHeaders };
      if (init.json !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${options.base}/${url.host}${url.pathname}${url.search}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
    },
  };
}

/** Runs a listing to the end; any non-200 page throws. */
export async function drain(client: ListingClient, cursor?: Json): Promise<{ records: Listed[]; pages: number; cursor: Json }> {
  const records: Listed[] = [];
  let state: Json | undefined = client.start(cursor);
  let pages = 0;
  for (;;) {
    const step = await client.step(state as Json);
    pages += 1;
    if (step.status !== 200) throw new Error(`${client.key} page ${pages}: HTTP ${step.status} ${JSON.stringify(step.body).slice(0, 300)}`);
    records.push(...step.records);
    if (!step.next) return { records, pages, cursor: step.cursor ?? {} };
    state = step.next;
  }
}
