// The Airtable `records` destination against the sandbox: targets and fields from the real schema,
// upserts of up to 10 records in ONE request matched on the chosen field (created, then updated in
// place), a record Airtable refuses reported with its reason while the rest of its batch is written
// (the refused batch split by halves), deletes by record id (one already gone counts as deleted),
// and the per-base write limit (5/s) answered 429 with the 30 s wait.
import { describe, expect, it } from 'vitest';
import { withProviderClient } from '@/lib/connections/provider-access';
import { airtableRecordsDestination as destination } from '@/lib/providers/airtable/push';
import { ProviderHttpError } from '@/lib/providers/errors';
import type { PushRecord } from '@/lib/providers/types';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { dataCountsOf, mutateData } from '../../server';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { PROFILE } from './accounts';

const suite = sandboxSuite();
const [ADA] = PROFILE.accounts;
const TARGET = { id: `${ADA.base.id}/${ADA.table.id}`, matchField: 'Email' };
const SEEDED = 20;

async function connected() {
  suite.sandbox.setKnobs({ dataset: { 'airtable.records': SEEDED } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Airtable push')).id;
  return (await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'airtable')).connectionId;
}

const live = () => dataCountsOf(suite.sandbox, { provider: 'airtable', resource: 'records' }).live;
const writes = () => suite.sandbox.stats().dataRequests['airtable.recordWrites'];
const record = (email: string, fields: Record<string, unknown> = {}): PushRecord => ({ key: email, fields: { Email: email, ...fields }, externalId: null });

describe(`Airtable push destination (${testEngine})`, () => {
  it('offers every table with its writable fields, grouped by base', async () => {
    const connectionId = await connected();
    await withProviderClient(suite.database.db, connectionId, async (client) => {
      expect(await destination.targets(client)).toEqual([{ id: TARGET.id, label: 'Contacts', group: 'Ada CRM' }]);
      const fields = await destination.fields(client, TARGET.id);
      expect(fields.map((f) => f.name)).toEqual(['Name', 'Email', 'Phone', 'Company', 'Status', 'Notes', 'Score']);
      expect(fields.find((f) => f.name === 'Email')).toEqual({ name: 'Email', label: 'Email', type: 'email', matchable: true });
      expect(fields.find((f) => f.name === 'Status')).toEqual({ name: 'Status', label: 'Status', type: 'enum', values: ['Lead', 'Customer', 'Churned'] });
      expect(fields.find((f) => f.name === 'Notes')?.matchable).toBeUndefined();
      expect(fields.find((f) => f.name === 'Score')).toMatchObject({ type: 'number', matchable: true });
    });
  });

  it('upserts a batch in one request: creates, then updates the same records in place, then deletes them', async () => {
    const connectionId = await connected();
    await withProviderClient(suite.database.db, connectionId, async (client) => {
      const batch = Array.from({ length: 10 }, (_, i) => record(`person${i}@push.example`, { Name: `Person ${i}`, Status: 'Lead', Score: i }));
      const before = writes();
      const created = await destination.upsert(client, TARGET, batch);
      expect(writes() - before).toBe(1);
      expect(created.every((o) => o.ok)).toBe(true);
      expect(live()).toBe(SEEDED + 10);
      const ids = created.map((o) => (o.ok ? o.externalId : ''));
      expect(new Set(ids).size).toBe(10);

      const changed = await destination.upsert(client, TARGET, batch.map((r) => ({ ...r, fields: { ...r.fields, Status: 'Customer' } })));
      expect(writes() - before).toBe(2);
      expect(changed.map((o) => (o.ok ? o.externalId : o.error))).toEqual(ids);
      expect(live()).toBe(SEEDED + 10);

      // Delete three, one of which someone already deleted in Airtable (so it counts as deleted),
      // and one never written (nothing to delete): two write requests and one read.
      mutateData(suite.sandbox, { provider: 'airtable', resource: 'records', delete: [ids[0]] });
      const removals = [0, 1, 2].map((i) => ({ key: batch[i].key, externalId: ids[i] }));
      const removed = await destination.remove(client, TARGET, [...removals, { key: 'nobody@push.example', externalId: null }], 'delete');
      expect(removed.map((o) => o.ok)).toEqual([true, true, true, true]);
      expect(writes() - before).toBe(4);
      expect(live()).toBe(SEEDED + 7);
    });
  });

  it('reports the record Airtable refuses with its reason, and writes the rest of its batch', async () => {
    const connectionId = await connected();
    await withProviderClient(suite.database.db, connectionId, async (client) => {
      const batch = Array.from({ length: 10 }, (_, i) => record(`mixed${i}@push.example`, { Name: `Mixed ${i}` }));
      batch[6] = { key: 'k6', fields: { Email: 'not an email', Name: 'Bad' }, externalId: null };
      const before = writes();
      const outcomes = await destination.upsert(client, TARGET, batch);
      expect(outcomes.filter((o) => !o.ok)).toEqual([{ key: 'k6', ok: false, error: expect.stringContaining('INVALID_VALUE_FOR_COLUMN') }]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(9);
      expect(live()).toBe(SEEDED + 9);
      // The refused request, then halves until the bad record stands alone: at most 1 + 2·⌈log2 10⌉.
      expect(writes() - before).toBeLessThanOrEqual(9);
    });
  });

  it('holds writes to 5 requests per second per base: the sixth answers 429 and the engine is told to wait 30 s', async () => {
    const connectionId = await connected();
    await withProviderClient(suite.database.db, connectionId, async (client) => {
      for (let i = 0; i < 5; i++) expect((await destination.upsert(client, TARGET, [record(`fast${i}@push.example`)]))[0].ok).toBe(true);
      const refused = await destination.upsert(client, TARGET, [record('fast5@push.example')]).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ProviderHttpError);
      expect(refused).toMatchObject({ status: 429, retryAfterSeconds: 30 });
      // The base stays closed for the 30 s, whatever the pace.
      expect(await destination.upsert(client, TARGET, [record('fast6@push.example')]).catch((error: unknown) => (error as ProviderHttpError).status)).toBe(429);
      expect(live()).toBe(SEEDED + 5);
    });
  });
});
