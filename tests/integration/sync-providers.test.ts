// Every provider's resources against the sandbox: a full sync stores exactly what the provider
// has, and the next incremental sync sees creates, updates and (where the provider keeps them)
// deletions. Plus Google's expired syncToken (410) → exactly one full resync.
import { beforeAll, describe, expect, it } from 'vitest';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { mutateData } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { counts, cursorOf, runRow, storedCount } from '../support/sync';

const suite = sandboxSuite();

let runner: SyncRunner;

beforeAll(async () => {
  runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
});

const SIZE = 150;

/** What an incremental sync sees after {create: 2, update: 3, delete: 2} at the provider. */
const cases = [
  { provider: 'google-calendar', resource: 'events', incremental: { created: 2, updated: 3, deleted: 2 } },
  { provider: 'salesforce', resource: 'contacts', incremental: { created: 2, updated: 3, deleted: 2 } },
  { provider: 'salesforce', resource: 'opportunities', incremental: { created: 2, updated: 3, deleted: 2 } },
  { provider: 'hubspot', resource: 'contacts', incremental: { created: 2, updated: 3, deleted: 2 } },
  { provider: 'hubspot', resource: 'deals', incremental: { created: 2, updated: 3, deleted: 2 } },
  // Square keeps no tombstones for customers: deletions show up on the next full sync.
  { provider: 'square', resource: 'customers', incremental: { created: 2, updated: 3, deleted: 0 } },
  // Bookings have no incremental API: every sync lists the window; a "deleted" booking is cancelled (an update).
  { provider: 'square', resource: 'bookings', incremental: { created: 2, updated: 5, deleted: 0 } },
  { provider: 'fresha', resource: 'clients', incremental: { created: 2, updated: 3, deleted: 2 } },
  { provider: 'fresha', resource: 'appointments', incremental: { created: 2, updated: 3, deleted: 2 } },
] as const;

async function connect(provider: string, resource: string) {
  suite.sandbox.setKnobs({ dataset: { [`${provider}.${resource}`]: SIZE } as never });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `${provider} ${resource}`)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider);
  return { workspaceId, connectionId };
}

async function sync(connection: { workspaceId: string; connectionId: string }, mode: 'full' | 'incremental', resource: string) {
  const { requestSync } = await import('@/lib/sync/runs');
  const { runId } = await requestSync(suite.database.db, { ...connection, trigger: 'manual', mode, resource });
  expect(await runner.runToEnd(runId)).toBe('succeeded');
  return runRow(suite.database.db, runId);
}

describe(`provider resources (${testEngine})`, () => {
  it.each(cases)('$provider $resource: full sync stores every record; incremental sees the changes', async ({ provider, resource, incremental }) => {
    const connection = await connect(provider, resource);
    // The initial sync requested on connect stays queued (no job runner in tests): run it.
    const { requestSync } = await import('@/lib/sync/runs');
    const { runId: initial } = await requestSync(suite.database.db, { ...connection, trigger: 'initial', mode: 'full' });
    await runner.runToEnd(initial);

    const full = await sync(connection, 'full', resource);
    expect(counts(full)).toMatchObject({ fetched: SIZE, created: 0, unchanged: SIZE });
    expect(await storedCount(suite.database.db, connection.connectionId, resource)).toBe(SIZE);

    mutateData(suite.sandbox, { provider, resource, create: 2, update: 3, delete: 2 } as never);
    const changes = await sync(connection, 'incremental', resource);
    expect(counts(changes)).toMatchObject(incremental);
    const unchanged = await sync(connection, 'incremental', resource);
    expect(counts(unchanged)).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it('replaces an expired Google syncToken (410) with exactly one full resync', async () => {
    const connection = await connect('google-calendar', 'events');
    const { requestSync } = await import('@/lib/sync/runs');
    const { runId } = await requestSync(suite.database.db, { ...connection, trigger: 'initial', mode: 'full' });
    await runner.runToEnd(runId);
    const tokensBefore = await cursorOf(suite.database.db, connection.connectionId, 'events');
    expect(Object.keys((tokensBefore as { syncTokens: object }).syncTokens)).toHaveLength(3);

    suite.sandbox.setKnobs({ expireSyncTokens: true });
    const pagesBefore = suite.sandbox.stats().dataRequests['google-calendar.events'];
    const run = await (async () => {
      const { runId: id } = await requestSync(suite.database.db, { ...connection, trigger: 'manual', mode: 'incremental' });
      const first = await runner.runToEnd(id).finally(() => suite.sandbox.setKnobs({ expireSyncTokens: null }));
      expect(first).toBe('succeeded');
      return runRow(suite.database.db, id);
    })();
    const steps = run.steps as { kind: string }[];
    expect(steps.filter((s) => s.kind === 'cursor_expired')).toHaveLength(1);
    expect(counts(run)).toMatchObject({ created: 0, updated: 0, unchanged: SIZE, deleted: 0 });
    // One full listing: one page for each of the three calendars (the refused 410 is not a page served).
    expect(suite.sandbox.stats().dataRequests['google-calendar.events'] - pagesBefore).toBe(3);
    expect(await cursorOf(suite.database.db, connection.connectionId, 'events')).not.toEqual(tokensBefore);
  });
});
