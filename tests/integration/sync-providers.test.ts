// Every provider's resources against the sandbox: a full sync stores exactly what the provider
// has, and the next incremental sync sees creates, updates and (where the provider keeps them)
// deletions, as its sandbox registration says deletions show. Provider-specific sync behaviour
// (Google's expired syncToken, say) is tested beside the provider.
import { beforeAll, describe, expect, it } from 'vitest';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { mutateData, PROVIDERS, type DataKey, type ProviderId } from '../sandbox/server';
import type { DeletionShape } from '../sandbox/provider';
import { connectAccount } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { counts, runRow, storedCount } from '../support/sync';

const suite = sandboxSuite();

let runner: SyncRunner;

beforeAll(async () => {
  runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
});

const SIZE = 150;
/**
 * Records of the provider's other datasets. Few enough that a provider syncing only the parts the
 * admin chose (GitHub: the issues and commits of at most 100 chosen repositories) has every one of
 * them chosen by connectAccount, so "every record" is every record the sandbox holds.
 */
const OTHERS = 20;

/** What an incremental sync sees after {create: 2, update: 3, delete: 2} at the provider, by how its deletions show. */
const INCREMENTAL: Record<DeletionShape, { created: number; updated: number; deleted: number }> = {
  tombstone: { created: 2, updated: 3, deleted: 2 },
  // No tombstones (Square customers): deletions show up on the next full sync.
  vanish: { created: 2, updated: 3, deleted: 0 },
  // A deletion is a status change on a record that stays listed (a cancelled Square booking): an update.
  status: { created: 2, updated: 5, deleted: 0 },
};
/** Every dataset of every registered provider. */
const cases = PROVIDERS.flatMap((provider) =>
  Object.entries(provider.datasets).map(([resource, dataset]) => ({ provider: provider.id as ProviderId, resource, incremental: INCREMENTAL[dataset.deletions] })),
);

async function connect(provider: ProviderId, resource: string) {
  const datasets = Object.keys(PROVIDERS.find((p) => p.id === provider)!.datasets);
  const sizes = Object.fromEntries(datasets.map((name) => [`${provider}.${name}`, name === resource ? SIZE : OTHERS]));
  suite.sandbox.setKnobs({ dataset: sizes as Partial<Record<DataKey, number>> });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `${provider} ${resource}`)).id;
  // OAuth or the API-key form, as the provider's definition says.
  const { connectionId } = await connectAccount(suite.database.db, suite.admin, workspaceId, provider);
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

    mutateData(suite.sandbox, { provider, resource, create: 2, update: 3, delete: 2 });
    const changes = await sync(connection, 'incremental', resource);
    expect(counts(changes)).toMatchObject(incremental);
    const unchanged = await sync(connection, 'incremental', resource);
    expect(counts(unchanged)).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });
});
