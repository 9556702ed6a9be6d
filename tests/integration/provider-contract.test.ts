// The provider contract: every provider in the app registry, driven only by its definition and its
// sandbox registration (no per-provider cases), on the engine under test. It connects the way
// auth.kind says and identifies each sandbox account as itself; disconnects, revoking at the
// provider where the definition can; lists every SyncResource in full, then incrementally after
// creates, updates and deletions at the provider, seeing exactly those (deletions as the provider
// shows them: tombstones, gone until the next full listing, or a status change); and maps what it
// stored with the default mappings onto valid model records; and, where the definition declares
// webhooks, accepts a delivery the sandbox signed as the provider does, routed to the connection,
// while refusing the same delivery with its signature or (where one is signed) its body tampered.
// A provider that passes here needs no test of its own for these.
import { beforeAll, describe, expect, it } from 'vitest';
import { disconnectConnection, testConnection } from '@/lib/connections/connections';
import { loadCredentials } from '@/lib/connections/credential-store';
import { asService } from '@/lib/db/rls';
import { applyMapping, compileMapping, MODEL_SCHEMAS, parseMapping, type ModelName } from '@/lib/mapping';
import { providers } from '@/lib/providers/registry';
import type { ProviderDefinition, SyncResource } from '@/lib/providers/types';
import { SyncRunner } from '@/lib/sync/runner';
import { receiveWebhook } from '@/lib/webhooks/ingest';
import { webhookEvents } from '@/lib/db/schema';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { eq } from 'drizzle-orm';
import {
  drain,
  issueAccessToken,
  listingClients,
  sandboxProvider,
  signedDelivery,
  tamperDelivery,
  tokenStatus,
  type DataKey,
  type DataMutationResult,
  type Listed,
  type ProviderId,
  type SandboxDataset,
  type SignedDelivery,
} from '../sandbox/server';
import { connectAccount } from '../support/connect';
import { testEngine } from '../support/database';
import { sandboxSuite } from '../support/sandbox-suite';
import { connectionRow, counts, storedRecords, syncToEnd } from '../support/sync';

const suite = sandboxSuite();

let runner: SyncRunner;
beforeAll(() => {
  runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
});

/** Records of the resource under test: more than one page for the providers with small pages. */
const SIZE = 150;
/** Records of every other dataset: the initial full sync lists them all. */
const OTHERS = 20;
const CHANGES = { create: 2, update: 3, delete: 2 };
/** What syncs see of CHANGES.delete deletions, by how the provider shows a deleted record. */
const DELETIONS_SEEN = {
  tombstone: { incremental: { deleted: CHANGES.delete, updated: 0 }, nextFull: 0 },
  vanish: { incremental: { deleted: 0, updated: 0 }, nextFull: CHANGES.delete },
  status: { incremental: { deleted: 0, updated: CHANGES.delete }, nextFull: 0 },
} as const;

const syncResourcesOf = (provider: ProviderDefinition) =>
  provider.resources.filter((resource): resource is SyncResource => 'fetchPage' in resource);

/** Every dataset of the provider at OTHERS records, but `resource` at SIZE. */
function sizeDatasets(provider: ProviderDefinition, resource?: string) {
  const sizes = Object.fromEntries(syncResourcesOf(provider).map((r) => [`${provider.id}.${r.id}`, r.id === resource ? SIZE : OTHERS]));
  suite.sandbox.setKnobs({ dataset: sizes as Partial<Record<DataKey, number>> });
}

async function connect(provider: ProviderDefinition, accountId?: string) {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `${provider.name} contract`)).id;
  const { connectionId, status } = await connectAccount(suite.database.db, suite.admin, workspaceId, provider.id, accountId);
  return { workspaceId, connectionId, status };
}

/** The sync the connect requested (queued: tests run no job runner), run to its end. */
async function initialSync(connection: { workspaceId: string; connectionId: string }) {
  const { outcome } = await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' });
  expect(outcome).toBe('succeeded');
}

async function sync(connection: { workspaceId: string; connectionId: string }, mode: 'full' | 'incremental', resource: string) {
  const { outcome, run } = await syncToEnd(suite.database.db, runner, connection, { mode, resource });
  expect(outcome, run.error ?? undefined).toBe('succeeded');
  return run;
}

/** The ids a sync keeps live after this listing: a record listed with a status change stays live. */
const liveIds = (records: Listed[], dataset: SandboxDataset) =>
  records.filter((record) => dataset.deletions === 'status' || !record.deleted).map((record) => record.id).sort();

async function storedLiveIds(connectionId: string, resource: string) {
  const rows = await storedRecords(suite.database.db, connectionId, resource);
  return rows.filter((row) => row.deletedAt === null).map((row) => row.externalId).sort();
}

for (const provider of providers) {
  const sandboxed = sandboxProvider(provider.id);
  const providerId = provider.id as ProviderId;

  describe(`provider contract: ${provider.id} (${testEngine})`, () => {
    it(`connects with ${provider.auth.kind} and identifies each sandbox account as itself`, async () => {
      sizeDatasets(provider);
      for (const account of sandboxed.accounts) {
        const before = suite.sandbox.stats();
        const connection = await connect(provider, account.id);
        expect(connection.status).toBe('active');
        const row = await connectionRow(suite.database.db, connection.connectionId);
        expect(row).toMatchObject({ provider: provider.id, status: 'active', accountId: account.id });
        expect(row.settings).toMatchObject({ environment: 'sandbox' });
        if (provider.auth.kind === 'oauth2') {
          expect(suite.sandbox.stats().tokenRequests[providerId].authorization_code).toBe(before.tokenRequests[providerId].authorization_code + 1);
          const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, connection.connectionId));
          expect(tokenStatus(suite.sandbox, stored!.tokens.accessToken)).toBe('live');
        }
        const tested = await testConnection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId);
        expect(tested.ok, tested.message).toBe(true);
        // Once on connect, once for the test: both asked the provider.
        expect(suite.sandbox.stats().identityRequests[providerId]).toBe(before.identityRequests[providerId] + 2);
        await initialSync(connection);
      }
    });

    it(provider.revoke ? 'disconnects and revokes its tokens at the provider' : 'disconnects without a revocation (the provider offers none)', async () => {
      sizeDatasets(provider);
      const connection = await connect(provider);
      const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, connection.connectionId));
      const before = suite.sandbox.stats().revocations[providerId];
      const result = await disconnectConnection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId);
      expect(result.connection.status).toBe('disconnected');
      expect(await asService(suite.database.db, (tx) => loadCredentials(tx, connection.connectionId))).toBeNull();
      if (provider.revoke) {
        expect(result.revocation).toBe('revoked');
        expect(suite.sandbox.stats().revocations[providerId]).toBe(before + 1);
        expect(tokenStatus(suite.sandbox, stored!.tokens.accessToken)).toBe('revoked');
        if (stored!.tokens.refreshToken) expect(tokenStatus(suite.sandbox, stored!.tokens.refreshToken)).toBe('revoked');
      } else {
        expect(result.revocation).toBe('not_supported');
        expect(suite.sandbox.stats().revocations[providerId]).toBe(before);
      }
    });

    for (const resource of syncResourcesOf(provider)) {
      it(`${resource.id}: a full listing stores every record; an incremental one sees exactly the changes`, async () => {
        const dataset = sandboxed.datasets[resource.id];
        expect(dataset, `the sandbox registers no dataset ${provider.id}.${resource.id}`).toBeDefined();
        const key = `${provider.id}.${resource.id}` as DataKey;
        sizeDatasets(provider, resource.id);
        const connection = await connect(provider);
        await initialSync(connection);
        const db = suite.database.db;

        // The sandbox's own reference client says what the provider holds.
        const token = sandboxed.auth.kind === 'oauth2' ? issueAccessToken(suite.sandbox, { provider: providerId }) : '';
        const client = listingClients({ base: suite.sandbox.url, token: () => token })[key];
        const before = await drain(client);
        expect(before.records).toHaveLength(SIZE);

        const full = await sync(connection, 'full', resource.id);
        expect(counts(full)).toMatchObject({ fetched: SIZE, created: 0, updated: 0, unchanged: SIZE, deleted: 0 });
        expect(await storedLiveIds(connection.connectionId, resource.id)).toEqual(liveIds(before.records, dataset));

        // Through the control API, as a person at the provider would (or the dev UI does).
        const mutated = await fetch(`${suite.sandbox.url}/_sandbox/data`, {
          method: 'POST',
          body: JSON.stringify({ provider: provider.id, resource: resource.id, ...CHANGES }),
        });
        expect(mutated.status).toBe(200);
        const changed = (await mutated.json()) as DataMutationResult;
        expect(changed.created).toHaveLength(CHANGES.create);
        const delta = await drain(client, before.cursor);
        const incremental = await sync(connection, 'incremental', resource.id);
        const seen = DELETIONS_SEEN[dataset.deletions];
        expect(counts(incremental)).toMatchObject({
          created: CHANGES.create,
          updated: CHANGES.update + seen.incremental.updated,
          deleted: seen.incremental.deleted,
        });
        // Record by record, as the provider reports the changes: live where it lists them, deleted where it tombstones them.
        const stored = new Map((await storedRecords(db, connection.connectionId, resource.id)).map((row) => [row.externalId, row]));
        expect(delta.records).toHaveLength(CHANGES.create + CHANGES.update + (dataset.deletions === 'vanish' ? 0 : CHANGES.delete));
        for (const record of delta.records) {
          const row = stored.get(record.id);
          expect(row, `${record.id} was not stored`).toBeDefined();
          expect(row!.deletedAt !== null, `${record.id} deleted`).toBe(record.deleted && dataset.deletions === 'tombstone');
        }
        const after = await drain(client);
        const live = liveIds(after.records, dataset);
        if (dataset.deletions === 'vanish') {
          // Not yet seen as deleted: the records it still lists, plus the vanished ones.
          const storedLive = await storedLiveIds(connection.connectionId, resource.id);
          expect(storedLive).toHaveLength(live.length + CHANGES.delete);
          expect(storedLive).toEqual(expect.arrayContaining(live));
        } else {
          expect(await storedLiveIds(connection.connectionId, resource.id)).toEqual(live);
        }

        const quiet = await sync(connection, 'incremental', resource.id);
        expect(counts(quiet)).toMatchObject({ created: 0, updated: 0, deleted: 0 });

        // A full listing settles everything: deletions the incremental one could not see included.
        const settled = await sync(connection, 'full', resource.id);
        const settledCounts = counts(settled);
        // Nothing changed since the incremental run stored every change: a full listing finds it all unchanged.
        expect(settledCounts).toMatchObject({ fetched: live.length, created: 0, updated: 0, unchanged: live.length, deleted: seen.nextFull });
        expect(await storedLiveIds(connection.connectionId, resource.id)).toEqual(live);
      });
    }

    it('has a default mapping for every syncing resource, and maps what the sync stored onto valid model records', async () => {
      const syncing = syncResourcesOf(provider).map((resource) => resource.id);
      const mappings = provider.defaultMappings ?? {};
      // Every syncing resource has one; a resource whose records only webhooks and actions bring
      // (Telegram's messages: no history API) may have one too, and no mapping names anything else.
      const known = provider.resources.map((resource) => resource.id);
      expect(syncing.filter((id) => !(id in mappings))).toEqual([]);
      expect(Object.keys(mappings).filter((id) => !known.includes(id))).toEqual([]);
      sizeDatasets(provider);
      const connection = await connect(provider);
      await initialSync(connection);
      for (const [resource, mapping] of Object.entries(mappings).filter(([id]) => syncing.includes(id))) {
        const parsed = parseMapping(mapping);
        expect(parsed.ok ? [] : parsed.issues, `${provider.id} ${resource}`).toEqual([]);
        const compiled = compileMapping(mapping);
        const schema = MODEL_SCHEMAS[compiled.model as ModelName];
        const rows = await storedRecords(suite.database.db, connection.connectionId, resource);
        expect(rows, `${provider.id} ${resource} stored nothing`).toHaveLength(OTHERS);
        for (const row of rows) {
          const label = `${provider.id} ${resource} ${row.externalId}`;
          // What the sync stored with the record, and the mapping applied afresh to its raw JSON.
          expect(row.mappingErrors, label).toBeNull();
          expect(schema.safeParse(row.mapped).success, label).toBe(true);
          const { output, errors } = applyMapping(compiled, row.raw);
          expect(errors, label).toEqual([]);
          expect(output, label).toEqual(row.mapped);
        }
      }
    });
    if (provider.webhooks) {
      const webhooks = provider.webhooks;
      it(`accepts a ${webhooks.schemeLabel} delivery signed by the sandbox, and refuses it tampered`, async () => {
        sizeDatasets(provider);
        const connection = await connect(provider);
        const deliver = (delivery: SignedDelivery) =>
          receiveWebhook(
            suite.database.db,
            new Request(delivery.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...delivery.headers },
              body: delivery.body || undefined,
            }),
            { provider: provider.id },
          );
        const sample = signedDelivery(suite.sandbox, { provider: providerId, url: `https://hub.example/api/webhooks/${provider.id}` });
        expect(sample, 'the sandbox registers no webhook signer for a provider that declares webhooks').toBeDefined();

        const accepted = await deliver(sample!);
        expect(accepted.status, await accepted.clone().text()).toBe(200);
        const stored = await asService(suite.database.db, (tx) =>
          tx.select().from(webhookEvents).where(eq(webhookEvents.connectionId, connection.connectionId)),
        );
        expect(stored.length).toBeGreaterThan(0);
        expect(stored.every((event) => event.verification === 'verified' && event.scheme === webhooks.scheme)).toBe(true);

        const tampers = webhooks.deliveries.kind === 'app-signed' ? (['signature', 'body'] as const) : (['signature'] as const);
        for (const tamper of tampers) {
          const refused = await deliver(tamperDelivery(sample!, tamper));
          expect(refused.status, `tampered ${tamper}`).toBe(401);
          expect(await refused.json()).toMatchObject({ code: 'invalid_signature' });
        }
      });
    }
  });
}
