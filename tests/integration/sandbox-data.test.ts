// The sandbox's data control API, on a dataset of a provider picked by trait. Every dataset's
// listings, faults and determinism are checked beside its provider
// (tests/sandbox/providers/<id>/sandbox-data.integration.test.ts, on tests/support/sandbox-data.ts),
// with that provider's paging quirks and limits.
import { describe, expect, it } from 'vitest';
import { DATA_ENDPOINTS } from '../sandbox/knobs';
import { dataKit, type Json } from '../support/sandbox-data';
import { exampleProvider } from '../support/providers';

const kit = dataKit();
const { N } = kit;

describe('sandbox data: control API', () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${kit.sandbox.url}/_sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('mutates over HTTP, counts, and refuses what it cannot do', async () => {
    const example = exampleProvider({ sync: true, deletions: 'tombstone' });
    const provider = example.id;
    const [resource] = example.resources;
    const account = example.accounts[1].id;
    // Record i's id, as the provider's sandbox data names it.
    const idOf = (index: number) => example.sandbox.datasets[resource].spec.idOf(index, account);
    const res = await control('POST', 'data', { provider, account, resource, create: 1, update: [idOf(4)], delete: 2 });
    expect(await res.json()).toEqual({ created: [idOf(N)], updated: [idOf(4)], deleted: [idOf(0), idOf(1)] });
    expect(await (await control('GET', `data?provider=${provider}&resource=${resource}&account=${encodeURIComponent(account)}`)).json()).toEqual({ live: N - 1, deleted: 2 });
    expect(await (await control('GET', `data?provider=${provider}&resource=${resource}`)).json()).toEqual({ live: N, deleted: 0 });
    for (const bad of [
      { provider, resource: 'tickets', update: 1 },
      { provider, resource, update: ['999'] },
      { provider, resource, delete: N + 1 },
      { provider, resource, account: 'nobody', create: 1 },
      { provider, resource, frobnicate: 1 },
    ]) {
      expect((await control('POST', 'data', bad)).status).toBe(400);
    }
    const knob = (body: Json) => control('POST', 'knobs', body);
    expect((await knob({ failPage: { provider, resource: 'tickets', page: 1, status: 500 } })).status).toBe(400);
    expect((await knob({ failPage: { provider, resource, page: 0, status: 500 } })).status).toBe(400);
    expect((await knob({ dataset: { [`${provider}.tickets`]: 5 } })).status).toBe(400);
    expect((await knob({ rateLimitPage: { provider, resource, page: 3, retryAfterSeconds: 1 }, expireSyncTokens: true })).status).toBe(200);
    expect(kit.sandbox.knobs).toMatchObject({ rateLimitPage: { page: 3 }, expireSyncTokens: true });
    const stats = (await (await control('GET', 'stats')).json()) as Json;
    // Every dataset and data endpoint (a calendar list, say) is counted, from zero.
    expect(stats.dataRequests).toEqual(Object.fromEntries(DATA_ENDPOINTS.map((endpoint) => [endpoint, 0])));
  });
});
