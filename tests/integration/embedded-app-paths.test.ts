// The app's main paths through the embedded database's own process (lib/db/embedded-process.ts):
// migrate, seed, connect, sync, receive and process a webhook — over the wire protocol on the one
// connection the app has (postgres.js max 1). Anything that held a transaction open while waiting
// for another query on the top-level handle would hang here, so these are the paths to prove; and
// many queries and transactions at once (a rollback, role switches, the records' advisory lock)
// must each get their own answer: pglite-socket would mix two connections' unnamed statements and
// portals between a Parse and its Sync, which one connection rules out.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAccount, verifyLocalAccount } from '@/lib/auth/local-accounts';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '@/lib/db/embedded-process';
import { rowsOf } from '@/lib/db/engine';
import { migrate } from '@/lib/db/migrate';
import { asService, asUser } from '@/lib/db/rls';
import { DEMO_ADMIN, seedDemo } from '@/lib/db/seed';
import { syncedRecords } from '@/lib/db/schema';
import { storePage } from '@/lib/sync/records';
import { requestSync } from '@/lib/sync/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { processAllDue } from '@/lib/webhooks/process';
import { serveWebhooks } from '@/lib/webhooks/node-server';
import { startSandbox } from '../sandbox/server';
import { exampleProvider } from '../support/providers';
import { afterDeliveriesPause, connectedAndSynced, deliverFromSandbox, webhookEventsOf, type WebhookSuite } from '../support/webhooks';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-embedded-app-'));
const provider = exampleProvider({ webhooks: 'app-signed', sync: true });
const suite = {} as WebhookSuite;
let database: EmbeddedDatabase;

beforeAll(async () => {
  database = await openEmbeddedDatabase(path.join(root, 'pglite'));
  suite.database = { ...database, drop: () => database.close() };
  await migrate(database);
  await seedDemo(database);
  suite.sandbox = await startSandbox({ port: 0 });
  suite.sandbox.knobs.autoApprove = true;
  process.env.PROVIDER_SANDBOX_URL = suite.sandbox.url;
  suite.admin = await createLocalAccount(database.db, { email: `embedded-${Date.now()}@example.test`, password: 'embedded password 1' });
  suite.server = await serveWebhooks(database.db);
  suite.runner = new SyncRunner(database.db, { sleep: async () => undefined });
});

afterAll(async () => {
  await suite.server?.close();
  await database?.close();
  await suite.sandbox?.close();
  delete process.env.PROVIDER_SANDBOX_URL;
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the app on the embedded database process', () => {
  it('migrates and seeds (the demo admin signs in), connects, syncs, and stores and processes a webhook', async () => {
    expect(database.engine).toBe('pglite');
    expect(await verifyLocalAccount(database.db, { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }, '203.0.113.9')).toMatchObject({ email: DEMO_ADMIN.email });

    const resource = provider.resources[0];
    const { connectionId } = await connectedAndSynced(suite, provider.id, provider.datasets({ [resource]: 30 }));
    const [stored] = await asService(database.db, (tx) =>
      tx.select({ n: sql<number>`count(*)::int` }).from(syncedRecords).where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, resource))),
    );
    expect(stored.n).toBe(30);

    const { deliveries } = await deliverFromSandbox(suite, { provider: provider.id, url: `${suite.server.url}${provider.webhookPath}`, mutate: { update: 1 } });
    expect(deliveries[0]).toEqual({ status: 200, body: { ok: true, received: 1, duplicates: 0 } });
    await afterDeliveriesPause(suite, connectionId);
    expect(await processAllDue(database.db, { connectionId })).toMatchObject({ claimed: 1, failed: 0 });
    expect(await webhookEventsOf(suite, connectionId)).toEqual([expect.objectContaining({ status: 'processed' })]);
  });

  it('answers many concurrent queries and transactions each with its own result, isolated, on the one connection', async () => {
    const { db } = database;
    await database.execScript('create table public.embedded_probe (tag int not null, n int not null)');
    const selects = Array.from({ length: 200 }, (_, i) =>
      db.execute(sql`select ${i}::int as i, ${`text ${i}`}::text as t, ${i % 2 === 0}::boolean as even`).then((r) => rowsOf<{ i: number; t: string; even: boolean }>(r)[0]),
    );
    // Each transaction inserts its own rows and counts them inside; number 7 fails after inserting.
    const transactions = Array.from({ length: 30 }, (_, tag) =>
      asService(db, async (tx) => {
        for (let n = 0; n < 5; n++) await tx.execute(sql`insert into public.embedded_probe values (${tag}, ${n})`);
        const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from public.embedded_probe where tag = ${tag}`));
        if (tag === 7) throw new Error('roll back');
        return row.n;
      }).catch((error: Error) => error.message),
    );
    // A user's transaction runs as `authenticated` with its claims; everything else as the owner.
    const users = Array.from({ length: 20 }, (_, i) =>
      asUser(db, { sub: crypto.randomUUID(), email: `u${i}@example.test` }, async (tx) =>
        rowsOf<{ role: string; email: string }>(await tx.execute(sql`select current_user as role, auth.jwt() ->> 'email' as email`))[0],
      ),
    );
    const owners = Array.from({ length: 20 }, () => db.execute(sql`select current_user as role`).then((r) => rowsOf<{ role: string }>(r)[0].role));
    // Record writers of one connection take the records' advisory transaction lock (lib/sync/records.ts).
    const [{ id: connectionId, workspace_id: workspaceId }] = rowsOf<{ id: string; workspace_id: string }>(
      await db.execute(sql`select id, workspace_id from public.connections limit 1`),
    );
    const { runId } = await requestSync(db, { workspaceId, connectionId, trigger: 'manual', mode: 'incremental', resource: provider.resources[0] });
    const target = { workspaceId, connectionId, resource: 'embedded-probe', runId, mode: 'incremental' as const };
    const writers = Array.from({ length: 10 }, (_, w) =>
      asService(db, (tx) => storePage(tx, target, Array.from({ length: 20 }, (_, r) => ({ externalId: `rec-${r}`, data: { r, writer: w } })))),
    );

    const [selected, committed, userRows, ownerRoles, written] = await Promise.all([
      Promise.all(selects),
      Promise.all(transactions),
      Promise.all(users),
      Promise.all(owners),
      Promise.all(writers),
    ]);
    expect(selected).toEqual(Array.from({ length: 200 }, (_, i) => ({ i, t: `text ${i}`, even: i % 2 === 0 })));
    expect(committed).toEqual(Array.from({ length: 30 }, (_, tag) => (tag === 7 ? 'roll back' : 5)));
    expect(userRows).toEqual(Array.from({ length: 20 }, (_, i) => ({ role: 'authenticated', email: `u${i}@example.test` })));
    expect(ownerRoles.every((role) => role === 'postgres')).toBe(true);
    const [after] = rowsOf<{ rows: number; tags: number; rolled: number }>(
      await db.execute(sql`select count(*)::int as rows, count(distinct tag)::int as tags, count(*) filter (where tag = 7)::int as rolled from public.embedded_probe`),
    );
    expect(after).toEqual({ rows: 29 * 5, tags: 29, rolled: 0 });
    // Exactly one writer created the 20 records; every other found them stored (changed or unchanged).
    expect(written.reduce((sum, counts) => sum + counts.created, 0)).toBe(20);
    expect(written.every((counts) => counts.created + counts.updated + counts.unchanged === 20)).toBe(true);
    const [records] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from public.synced_records where connection_id = ${connectionId}::uuid and resource = 'embedded-probe'`),
    );
    expect(records.n).toBe(20);
  });
});
