// The sandbox's Square data endpoints: the shared dataset checks (tests/support/sandbox-data.ts) for
// customers (deleted ones just vanish) and bookings (walked in 31-day windows of only a dozen or so
// bookings each), then Square's own: windows, cancelled bookings, Square-Version, limits, cursors.
// (Moved from tests/integration/sandbox-data.test.ts.)
import { describe, expect, it } from 'vitest';
import { drain } from '@/tests/sandbox/data-clients';
import { mutateData } from '@/tests/sandbox/server';
import { dataKit, describeDataset, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit();
const { call, clients, N, token } = kit;

describeDataset(kit, 'square.customers', { pageSize: 60, tombstones: false });
describeDataset(kit, 'square.bookings', { pageSize: 5, tombstones: true, windowed: true });

describe('sandbox data: Square specifics', () => {
  const API = 'https://connect.squareup.com/v2';
  const square = (path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) =>
    call(`${API}${path}`, { token: token('square'), ...init, headers: { 'square-version': '2025-10-16', ...init.headers } });
  const DAY = 86_400_000;

  it('lists bookings only in windows of at most 31 days (default: the next 31 days)', async () => {
    const from = Date.now() - 10 * DAY;
    const window = (days: number) => square(`/bookings?${new URLSearchParams({ start_at_min: new Date(from).toISOString(), start_at_max: new Date(from + days * DAY).toISOString() })}`);
    const tooWide = await window(32);
    expect(tooWide.status).toBe(400);
    expect(tooWide.body.errors[0]).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code: 'BAD_REQUEST', detail: expect.stringContaining('31 days') });
    const ok = await window(31);
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toEqual([]);
    for (const booking of ok.body.bookings as Json[]) {
      const start = Date.parse(booking.start_at);
      expect(start).toBeGreaterThanOrEqual(from);
      expect(start).toBeLessThan(from + 31 * DAY);
      expect(booking).toMatchObject({ location_id: 'LSBX0000000001', appointment_segments: [{ duration_minutes: expect.any(Number) }] });
    }
    const byDefault = await square('/bookings');
    expect(byDefault.status).toBe(200);
    for (const booking of byDefault.body.bookings as Json[]) expect(Date.parse(booking.start_at)).toBeGreaterThanOrEqual(Date.now() - 60_000);
  });

  it('turns a deleted booking CANCELLED_BY_SELLER and drops deleted customers', async () => {
    const listed = await drain(clients(100)['square.bookings']);
    const target = listed.records[0].id;
    mutateData(kit.sandbox, { provider: 'square', resource: 'bookings', delete: [target] });
    const after = await drain(clients(100)['square.bookings']);
    expect(after.records.find((r) => r.id === target)!.raw).toMatchObject({ status: 'CANCELLED_BY_SELLER', version: 1 });

    const { deleted, updated } = mutateData(kit.sandbox, { provider: 'square', resource: 'customers', update: 1, delete: 1 });
    const customers = (await drain(clients(100)['square.customers'])).records.map((r) => r.id);
    expect(customers).not.toContain(deleted[0]);
    expect(customers).toHaveLength(N - 1);
    const since = new Date(Date.now() - 60_000).toISOString();
    const found = await square('/customers/search', { method: 'POST', json: { query: { filter: { updated_at: { start_at: since } }, sort: { field: 'CREATED_AT', order: 'ASC' } } } });
    expect(found.body.customers.map((c: Json) => c.id)).toEqual(updated);
    expect(found.body.customers[0]).toMatchObject({ version: 1, note: expect.any(String) });
  });

  it('checks Square-Version, limits and cursors', async () => {
    expect((await call(`${API}/customers`, { token: token('square') })).body.errors[0].code).toBe('MISSING_REQUIRED_PARAMETER');
    expect((await square('/customers?limit=101')).body.errors[0]).toMatchObject({ code: 'VALUE_TOO_HIGH', field: 'limit' });
    expect((await square('/customers?cursor=nonsense')).body.errors[0].code).toBe('INVALID_CURSOR');
    kit.sandbox.setKnobs({ rateLimitPage: { provider: 'square', resource: 'customers', page: 1, retryAfterSeconds: 2 } });
    const limited = await square('/customers');
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0]).toMatchObject({ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' });
  });
});
