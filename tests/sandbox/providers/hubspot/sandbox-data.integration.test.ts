// The sandbox's HubSpot data endpoints: the shared dataset checks (tests/support/sandbox-data.ts) for
// contacts and deals, then HubSpot's own: the search API's 10,000 cap, archived listings, its
// rate-limit headers and scopes; the sandbox clock and lazy datasets at scale, on HubSpot contacts.
// (Moved from tests/integration/sandbox-data.test.ts.)
import { describe, expect, it } from 'vitest';
import { dataCountsOf, issueAccessToken, mutateData } from '@/tests/sandbox/server';
import { dataKit, describeDataset, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit();
const { call, clients, token } = kit;

describeDataset(kit, 'hubspot.contacts', { pageSize: 60, tombstones: true });
describeDataset(kit, 'hubspot.deals', { pageSize: 60, tombstones: true });

describe('sandbox data: HubSpot specifics', () => {
  const API = 'https://api.hubapi.com/crm/v3/objects';
  const search = (type: string, body: Json) => call(`${API}/${type}/search`, { token: token('hubspot'), method: 'POST', json: body });

  it('refuses to page the search API past 10,000 results; hs_object_id paging goes on', async () => {
    kit.sandbox.setKnobs({ dataset: { 'hubspot.contacts': 10_050 } });
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['email'],
      limit: 200,
    };
    const first = await search('contacts', body);
    expect(first.body).toMatchObject({ total: 10_050, paging: { next: { after: '200' } } });
    // As HubSpot's search reference shows: results carry archived like list results do.
    expect(first.body.results[0]).toMatchObject({ archived: false });
    const near = await search('contacts', { ...body, after: '9800' });
    expect(near.body.paging.next.after).toBe('10000');
    const past = await search('contacts', { ...body, after: '10000' });
    expect(past.status).toBe(400);
    expect(past.body).toEqual({ status: 'error', message: 'Cannot page past 10000 results', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    const lastId = near.body.results.at(-1).id as string;
    const byId = await search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: lastId }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      limit: 200,
    });
    expect(byId.body.total).toBe(50);
    expect(byId.body.results[0].id).toBe(String(Number(lastId) + 1));
  });

  it('lists requested properties plus the system ones, and deleted records with archived=true', async () => {
    const { deleted } = mutateData(kit.sandbox, { provider: 'hubspot', resource: 'deals', delete: 2 });
    const live = await call(`${API}/deals?limit=100&properties=dealname,amount,nonexistent`, { token: token('hubspot') });
    expect(live.body.results[0]).toEqual({
      id: '2000000003',
      properties: { dealname: expect.any(String), amount: expect.stringMatching(/^\d+(\.\d+)?$/), createdate: expect.any(String), hs_lastmodifieddate: expect.any(String), hs_object_id: '2000000003' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      archived: false,
    });
    expect(live.body.paging.next.link).toContain('https://api.hubapi.com/crm/v3/objects/deals?');
    const archived = await call(`${API}/deals?archived=true`, { token: token('hubspot') });
    expect(archived.body.results.map((r: Json) => r.id)).toEqual(deleted);
    expect(archived.body.results[0]).toMatchObject({ archived: true, archivedAt: expect.any(String) });
    expect((await call(`${API}/deals?limit=101`, { token: token('hubspot') })).status).toBe(400);
  });

  it('sends the rate-limit headers on 429 and needs the object scope', async () => {
    kit.sandbox.setKnobs({ rateLimitPage: { provider: 'hubspot', resource: 'contacts', page: 1, retryAfterSeconds: 1 } });
    const limited = await call(`${API}/contacts`, { token: token('hubspot') });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    for (const name of ['interval-milliseconds', 'max', 'remaining']) expect(limited.headers.get(`x-hubspot-ratelimit-${name}`)).toMatch(/^\d+$/);
    const contactsOnly = issueAccessToken(kit.sandbox, { provider: 'hubspot', scopes: ['oauth', 'crm.objects.contacts.read'] });
    expect((await call(`${API}/deals`, { token: contactsOnly })).status).toBe(403);
    const missing = await call(`${API}/contacts`);
    expect(missing.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });
});

describe('sandbox data: control API', () => {
  it('orders mutations made within one millisecond', async () => {
    const a = mutateData(kit.sandbox, { provider: 'hubspot', resource: 'contacts', update: ['1000000010'] });
    const b = mutateData(kit.sandbox, { provider: 'hubspot', resource: 'contacts', update: ['1000000009'] });
    const listed = await call('https://api.hubapi.com/crm/v3/objects/contacts?limit=10', { token: token('hubspot') });
    const stamp = (id: string) => Date.parse((listed.body.results as Json[]).find((r) => r.id === id)!.updatedAt);
    expect(stamp(b.updated[0])).toBeGreaterThan(stamp(a.updated[0]));
  });
});

describe('sandbox data: scale', () => {
  // How fast pages come is bench:sync's business; here: 100,000 contacts page correctly, in order.
  it('serves 100,000 HubSpot contacts lazily, page after page in id order', async () => {
    kit.sandbox.setKnobs({ dataset: { 'hubspot.contacts': 100_000 } });
    const c = clients(100)['hubspot.contacts'];
    let step = await c.step(c.start());
    const pages = 200;
    for (let n = 0; n < pages && step.next; n++) step = await c.step(step.next);
    expect(step.records.at(-1)!.id).toBe(String(1_000_000_001 + 100 * (pages + 1) - 1));
    expect(dataCountsOf(kit.sandbox, { provider: 'hubspot', resource: 'contacts' })).toEqual({ live: 100_000, deleted: 0 });
  });
});
