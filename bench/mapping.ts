// npm run bench:mapping — the default HubSpot contacts mapping applied to 100,000 records: in
// memory (the interpreter alone; target ≥ 200,000 records/s), and as the re-apply job end to end
// (read raw records from the database, map, write mapped output and progress) on PGlite and on
// PostgreSQL 15.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalAccount } from '../lib/auth/local-accounts';
import { openDatabase, type Database } from '../lib/db/engine';
import { migrate } from '../lib/db/migrate';
import { asService } from '../lib/db/rls';
import { eq } from 'drizzle-orm';
import { connections, fieldMappings, mappingJobs, syncRuns } from '../lib/db/schema';
import { createReapplyJob, reapplyNextBatch } from '../lib/mapping/reapply';
import { storePage } from '../lib/sync/records';
import { createWorkspace } from '../lib/workspaces/workspaces';
import { benchMappingInMemory, generateHubspotContacts, hubspotContactsMapping } from './mapping-memory';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);

async function reapplyEndToEnd(database: Database): Promise<{ recordsPerSecond: number; failed: number }> {
  await migrate(database);
  const db = database.db;
  const user = await createLocalAccount(db, { email: `bench-mapping-${Date.now()}@example.test`, password: 'bench password 1' });
  const workspaceId = (await createWorkspace(db, user, 'Mapping bench')).id;
  const connectionId = crypto.randomUUID();
  const runId = crypto.randomUUID();
  await asService(db, async (tx) => {
    await tx.insert(connections).values({ id: connectionId, workspaceId, provider: 'hubspot', displayName: 'HubSpot', authKind: 'oauth2' });
    await tx.insert(syncRuns).values({ id: runId, workspaceId, connectionId, trigger: 'manual', mode: 'incremental' });
  });
  // Stored raw, as a sync without a mapping would have left them (not timed).
  const records = generateHubspotContacts(RECORDS) as { id: string }[];
  for (let start = 0; start < records.length; start += 1_000) {
    const page = records.slice(start, start + 1_000).map((data) => ({ externalId: data.id, data }));
    await asService(db, (tx) => storePage(tx, { workspaceId, connectionId, resource: 'contacts', runId, mode: 'incremental' }, page));
  }
  const jobId = await asService(db, async (tx) => {
    const [mapping] = await tx
      .insert(fieldMappings)
      .values({ workspaceId, connectionId, resource: 'contacts', targetModel: 'Contact', version: 1, definition: hubspotContactsMapping(), isActive: true })
      .returning({ id: fieldMappings.id });
    return createReapplyJob(tx, { workspaceId, connectionId, resource: 'contacts', mappingId: mapping.id, mappingVersion: 1, createdBy: user.userId });
  });
  const started = process.hrtime.bigint();
  while ((await reapplyNextBatch(db, jobId)) === 'more');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [job] = await asService(db, (tx) => tx.select({ failed: mappingJobs.failed, status: mappingJobs.status }).from(mappingJobs).where(eq(mappingJobs.id, jobId)));
  if (job.status !== 'succeeded') throw new Error(`the re-apply job ended ${job.status}`);
  return { recordsPerSecond: Math.round(RECORDS / seconds), failed: job.failed };
}

async function main() {
  const memory = await benchMappingInMemory(RECORDS);
  const rows: Record<string, unknown>[] = [
    { measure: 'in memory (interpreter only)', 'records/s': memory.recordsPerSecond, 'failed validation': memory.failed, target: '≥ 200,000' },
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-mapping-'));
  try {
    const pglite = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
    try {
      const result = await reapplyEndToEnd(pglite);
      rows.push({ measure: 're-apply job, PGlite', 'records/s': result.recordsPerSecond, 'failed validation': result.failed, target: '' });
    } finally {
      await pglite.close();
    }
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-mapping-pg-'));
    const port = 5400 + Math.floor(Math.random() * 400);
    const url = execFileSync('bash', ['scripts/postgres-server.sh', 'start', pgDir, String(port)], { encoding: 'utf8' }).trim();
    const postgres = await openDatabase({ engine: 'postgres', url, max: 4 });
    try {
      const result = await reapplyEndToEnd(postgres);
      rows.push({ measure: 're-apply job, PostgreSQL 15', 'records/s': result.recordsPerSecond, 'failed validation': result.failed, target: '' });
    } finally {
      await postgres.close();
      execFileSync('bash', ['scripts/postgres-server.sh', 'stop', pgDir]);
      fs.rmSync(pgDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nMapping benchmark: the default HubSpot contacts mapping on ${RECORDS.toLocaleString('en')} records\n`);
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
