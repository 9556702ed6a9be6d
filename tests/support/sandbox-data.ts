// The sandbox's provider data endpoints, checked the same way for every dataset: full listings page
// through exactly the dataset, incremental listings return exactly what changed (tombstones where
// the provider has them), injected faults, and determinism. Each provider's test
// (tests/sandbox/providers/<id>/sandbox-data.integration.test.ts) runs describeDataset for its
// datasets, with its paging quirks as options, beside its own specifics.
// (The shared part of what was tests/integration/sandbox-data.test.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drain, listingClients, type ListingClient } from '../sandbox/data-clients';
import { DATA_KEYS, dataCountsOf, issueAccessToken, mutateData, sandboxUrlOf, startSandbox, type DataKey, type ProviderId, type Sandbox } from '../sandbox/server';

/** Provider JSON, loosely typed: these are tests poking at wire formats. */
export type Json = Record<string, any>;

export interface DataKit {
  /** The running sandbox (started before all tests; before each, reset with every dataset at N records). */
  readonly sandbox: Sandbox;
  readonly N: number;
  /** An access token for the provider's first account, minted once per test. */
  token(provider: ProviderId): string;
  /** Every dataset's reference listing client, paging by `pageSize`. */
  clients(pageSize?: number): Record<DataKey, ListingClient>;
  /** A provider API call through the sandbox, answered as JSON. */
  call(realUrl: string, init?: { token?: string; method?: string; json?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: Json }>;
  /** Forgets the minted tokens (after a reset). */
  forgetTokens(): void;
}

export function dataKit(N = 250): DataKit {
  let sandbox: Sandbox;
  let tokens: Partial<Record<ProviderId, string>> = {};
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    sandbox.setKnobs({ dataset: Object.fromEntries(DATA_KEYS.map((key) => [key, N])) });
    tokens = {};
  });
  const token = (provider: ProviderId) => (tokens[provider] ??= issueAccessToken(sandbox, { provider }));
  return {
    get sandbox() {
      return sandbox;
    },
    N,
    token,
    clients: (pageSize = 100) => listingClients({ base: sandbox.url, token, pageSize }),
    async call(realUrl, init = {}) {
      const headers: Record<string, string> = { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers };
      if (init.json !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(sandboxUrlOf(sandbox.url, realUrl), { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
    },
    forgetTokens() {
      tokens = {};
    },
  };
}

export const split = (key: DataKey) => {
  const [provider, resource] = key.split('.') as [ProviderId, string];
  return { provider, resource };
};

/** Google ids are per calendar: the clients prefix them with it. */
const bareId = (id: string) => id.split('/').pop() as string;

export interface DatasetQuirks {
  /** A page size that makes several pages of N (a provider's floor, or a small window). */
  pageSize: number;
  /** Whether an incremental listing shows deletions (false: they just vanish). */
  tombstones: boolean;
  /**
   * Listed in time windows (Square bookings, by start time) rather than as one listing: a new
   * record may start beyond the window walked, and every window is a listing of its own.
   */
  windowed?: boolean;
}

export function describeDataset(kit: DataKit, key: DataKey, quirks: DatasetQuirks) {
  const { N } = kit;
  describe(`sandbox data: ${key}`, () => {
    const client = (): ListingClient => kit.clients(quirks.pageSize)[key];

    it(`lists exactly ${N} unique records over several pages`, async () => {
      const listed = await drain(client());
      const ids = listed.records.map((r) => r.id);
      expect(new Set(ids).size).toBe(N);
      expect(ids.length).toBe(N);
      expect(listed.pages).toBeGreaterThan(quirks.windowed ? 6 : 1);
      expect(listed.records.every((r) => !r.deleted)).toBe(true);
      expect(kit.sandbox.stats().dataRequests[key]).toBe(listed.pages);
    });

    it('lists exactly the created, updated and deleted records incrementally', async () => {
      const full = await drain(client());
      const changed = mutateData(kit.sandbox, { ...split(key), create: 2, update: 3, delete: 2 });
      expect(changed.created).toHaveLength(2);
      const incremental = await drain(client(), full.cursor);
      const live = incremental.records.filter((r) => !r.deleted).map((r) => bareId(r.id));
      const gone = incremental.records.filter((r) => r.deleted).map((r) => bareId(r.id));
      // Windowed listings go by start time: a new record may start beyond the window walked.
      const created = quirks.windowed ? live.filter((id) => changed.created.includes(id)) : changed.created;
      expect(live.sort()).toEqual([...created, ...changed.updated].sort());
      expect(gone.sort()).toEqual(quirks.tombstones ? [...changed.deleted].sort() : []);

      const again = await drain(client());
      expect(again.records.filter((r) => !r.deleted).length).toBe(N - 2 + created.length);
      expect(dataCountsOf(kit.sandbox, split(key))).toEqual({ live: N, deleted: 2 });
    });

    it('keeps a listing stable while records change between its pages', async () => {
      const c = client();
      let step = await c.step(c.start());
      const seen = step.records.map((r) => bareId(r.id));
      const { created } = mutateData(kit.sandbox, { ...split(key), update: 5, create: 3 });
      while (step.next) {
        step = await c.step(step.next);
        seen.push(...step.records.map((r) => bareId(r.id)));
      }
      // No record is skipped or repeated. Records created after the listing began are not part of
      // it, except in a windowed walk, where every window is a listing of its own.
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => !created.includes(id)).length).toBe(N);
      if (!quirks.windowed) expect(seen.length).toBe(N);
    });

    it('fails page 2 once with failPage, then serves it on retry', async () => {
      kit.sandbox.setKnobs({ failPage: { ...split(key), page: 2, status: 503 } });
      const c = client();
      const first = await c.step(c.start());
      expect(first.status).toBe(200);
      const failed = await c.step(first.next!);
      expect(failed.status).toBe(503);
      expect(kit.sandbox.knobs.failPage).toBeUndefined();
      expect((await c.step(first.next!)).status).toBe(200);
      expect(kit.sandbox.stats().dataRequests[key]).toBe(3);
    });

    it('rate-limits page 2 twice with rateLimitPage (429 + Retry-After), then serves it', async () => {
      kit.sandbox.setKnobs({ rateLimitPage: { ...split(key), page: 2, retryAfterSeconds: 7, times: 2 } });
      const c = client();
      const first = await c.step(c.start());
      for (let attempt = 0; attempt < 2; attempt++) {
        const limited = await c.step(first.next!);
        expect(limited.status).toBe(429);
        expect(limited.headers.get('retry-after')).toBe('7');
      }
      expect((await c.step(first.next!)).status).toBe(200);
    });

    it('answers 401 without a token, and with an unknown or expired one', async () => {
      const { provider } = split(key);
      const expired = issueAccessToken(kit.sandbox, { provider, ttlSeconds: 0 });
      for (const sent of ['', `sbx_at_${provider}_not-a-token`, expired]) {
        const c = listingClients({ base: kit.sandbox.url, token: () => sent })[key];
        expect((await c.step(c.start())).status).toBe(401);
      }
      expect(kit.sandbox.stats().dataRequests[key]).toBe(0);
    });

    it('generates the same records for the same index, and sizes datasets by the knob', async () => {
      // Timestamps are relative to when the dataset was built; everything else is fixed by the index.
      const stripTimes = ({ etag: _etag, ...raw }: Json) => JSON.stringify(raw).replace(/\d{4}-\d{2}-\d{2}T[\d:.]+(Z|\+0000)/g, '');
      const firstPage = async () => new Map((await client().step(client().start())).records.map((r) => [r.id, stripTimes(r.raw)]));
      const before = await firstPage();
      kit.sandbox.reset();
      kit.forgetTokens();
      // References (a booking's customer) depend on the other dataset's size: keep every size.
      kit.sandbox.setKnobs({ dataset: Object.fromEntries(DATA_KEYS.map((k) => [k, N])) });
      const after = await firstPage();
      const common = [...before.keys()].filter((id) => after.has(id));
      expect(common.length).toBeGreaterThanOrEqual(Math.min(before.size, 5));
      for (const id of common) expect(after.get(id)).toBe(before.get(id));

      kit.sandbox.setKnobs({ dataset: { [key]: 7 } });
      expect(dataCountsOf(kit.sandbox, split(key))).toEqual({ live: 7, deleted: 0 });
    });
  });
}
