// The sandbox's Fresha data endpoints: the shared dataset checks (tests/support/sandbox-data.ts) for
// clients and appointments, then Fresha's own JSON:API shapes.
// (Moved from tests/integration/sandbox-data.test.ts.)
import { describe, expect, it } from 'vitest';
import { mutateData } from '@/tests/sandbox/server';
import { dataKit, describeDataset, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit();
const { call, token } = kit;

describeDataset(kit, 'fresha.clients', { pageSize: 60, tombstones: true });
describeDataset(kit, 'fresha.appointments', { pageSize: 60, tombstones: true });

describe('sandbox data: Fresha specifics', () => {
  const clientsUrl = (query: Record<string, string>) => `https://api.fresha.com/v2/clients?${new URLSearchParams(query)}`;

  it('omits deleted clients from a full listing and returns them with deleted_at since a time', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const { deleted, updated } = mutateData(kit.sandbox, { provider: 'fresha', resource: 'clients', update: 1, delete: 1 });
    const full = await call(clientsUrl({ 'page[size]': '100' }), { token: token('fresha') });
    expect(full.body.data.map((c: Json) => c.id)).not.toContain(deleted[0]);
    expect(full.body).toMatchObject({ meta: { next_cursor: expect.any(String) }, links: { next: expect.stringContaining('page%5Bafter%5D=') } });
    expect(full.body.data[0]).toMatchObject({ type: 'client', attributes: { first_name: expect.any(String), deleted_at: null } });
    const since = await call(clientsUrl({ updated_since: before }), { token: token('fresha') });
    expect(since.body.data.map((c: Json) => c.id)).toEqual([...updated, ...deleted]);
    expect(since.body.data[1].attributes.deleted_at).toEqual(expect.any(String));
    expect(since.body.meta.next_cursor).toBeUndefined();
    expect((await call(clientsUrl({ 'page[size]': '101' }), { token: token('fresha') })).status).toBe(400);
  });

  it('shapes rate limits as JSON:API errors', async () => {
    kit.sandbox.setKnobs({ rateLimitPage: { provider: 'fresha', resource: 'appointments', page: 1, retryAfterSeconds: 3 } });
    const limited = await call('https://api.fresha.com/v2/appointments', { token: token('fresha') });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ errors: [{ status: '429', code: 'rate_limited', title: expect.any(String) }] });
    const ok = await call('https://api.fresha.com/v2/appointments?page[size]=1', { token: token('fresha') });
    expect(ok.body.data[0]).toMatchObject({ type: 'appointment', attributes: { price: { currency: 'GBP' }, starts_at: expect.any(String), client_id: expect.any(String) } });
  });
});
