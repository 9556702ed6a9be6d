// Re-applying a mapping to a connection's stored raw records, without asking the provider again.
// A job walks the records in id order, a batch per transaction, and keeps its cursor and counts
// in mapping_jobs: the editor shows the progress, and a restarted server resumes the job.
import { and, asc, count, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { recordActivity } from '../activity/activity';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { fieldMappings, mappingJobs, syncedRecords } from '../db/schema';
import { applyMapping } from './interpreter';
import { compiledFor } from './store';

export const REAPPLY_BATCH = 1_000;

export interface ReapplyJobInput {
  workspaceId: string;
  connectionId: string;
  resource: string;
  mappingId: string;
  mappingVersion: number;
  createdBy: string | null;
}

/** Queues a job for the newly active version; a job still working on an older version stops. */
export async function createReapplyJob(tx: Tx, input: ReapplyJobInput): Promise<string> {
  await tx
    .update(mappingJobs)
    .set({ status: 'cancelled', finishedAt: sql`now()`, error: `Superseded by version ${input.mappingVersion}.` })
    .where(
      and(eq(mappingJobs.connectionId, input.connectionId), eq(mappingJobs.resource, input.resource), inArray(mappingJobs.status, ['queued', 'running'])),
    );
  const [{ total }] = await tx
    .select({ total: count() })
    .from(syncedRecords)
    .where(and(eq(syncedRecords.connectionId, input.connectionId), eq(syncedRecords.resource, input.resource)));
  const [job] = await tx
    .insert(mappingJobs)
    .values({ ...input, total: Number(total) })
    .returning({ id: mappingJobs.id });
  return job.id;
}

/** Maps the next batch of records; 'done' once the job has ended (finished, failed or superseded). */
export async function reapplyNextBatch(db: Db, jobId: string, batchSize = REAPPLY_BATCH): Promise<'more' | 'done'> {
  return asService(db, async (tx) => {
    // Locked: two processes resuming one job (several instances starting at once) take its
    // batches in turn, each after the other's cursor, so no record is mapped or counted twice.
    const [job] = await tx.select().from(mappingJobs).where(eq(mappingJobs.id, jobId)).for('update');
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return 'done';
    const [mapping] = await tx
      .select({ id: fieldMappings.id, definition: fieldMappings.definition })
      .from(fieldMappings)
      .where(eq(fieldMappings.id, job.mappingId));
    if (!mapping) {
      await tx.update(mappingJobs).set({ status: 'failed', error: 'The mapping version was deleted.', finishedAt: sql`now()` }).where(eq(mappingJobs.id, jobId));
      return 'done';
    }
    const compiled = compiledFor(mapping.id, mapping.definition);
    const scope = and(eq(syncedRecords.connectionId, job.connectionId), eq(syncedRecords.resource, job.resource));
    const rows = await tx
      .select({ id: syncedRecords.id, raw: syncedRecords.raw })
      .from(syncedRecords)
      .where(job.cursor ? and(scope, gt(syncedRecords.id, job.cursor)) : scope)
      .orderBy(asc(syncedRecords.id))
      .limit(batchSize);

    let failed = 0;
    const payload = rows.map((row) => {
      const result = applyMapping(compiled, row.raw);
      if (result.errors.length > 0) failed += 1;
      return { id: row.id, mapped: result.output, errors: result.errors.length > 0 ? result.errors : null };
    });
    if (payload.length > 0) {
      await tx.execute(sql`
        update public.synced_records s
        set mapped = r.value -> 'mapped', mapping_errors = nullif(r.value -> 'errors', 'null'::jsonb), mapping_version = ${job.mappingVersion}::integer
        from jsonb_array_elements(${JSON.stringify(payload)}::jsonb) as r
        where s.id = (r.value ->> 'id')::uuid and s.connection_id = ${job.connectionId}::uuid`);
    }
    const done = rows.length < batchSize;
    await tx
      .update(mappingJobs)
      .set({
        status: done ? 'succeeded' : 'running',
        processed: sql`${mappingJobs.processed} + ${rows.length}`,
        failed: sql`${mappingJobs.failed} + ${failed}`,
        cursor: rows.length > 0 ? rows[rows.length - 1].id : job.cursor,
        startedAt: sql`coalesce(${mappingJobs.startedAt}, now())`,
        ...(done ? { finishedAt: sql`now()` } : {}),
      })
      .where(eq(mappingJobs.id, jobId));
    if (done) {
      await recordActivity(tx, {
        workspaceId: job.workspaceId,
        action: 'mapping.reapplied',
        targetType: 'connection',
        targetId: job.connectionId,
        details: { resource: job.resource, version: job.mappingVersion, records: job.processed + rows.length, failed: job.failed + failed },
      });
    }
    return done ? 'done' : 'more';
  });
}

export async function failReapplyJob(db: Db, jobId: string, reason: string): Promise<void> {
  await asService(db, (tx) =>
    tx
      .update(mappingJobs)
      .set({ status: 'failed', error: reason, finishedAt: sql`now()` })
      .where(and(eq(mappingJobs.id, jobId), inArray(mappingJobs.status, ['queued', 'running']))),
  );
}

/** The in-process runner's loop: batch after batch until the job ends. */
export async function runReapplyToEnd(db: Db, jobId: string): Promise<void> {
  try {
    while ((await reapplyNextBatch(db, jobId)) === 'more');
  } catch (error) {
    console.error(`mapping job ${jobId} failed:`, error);
    await failReapplyJob(db, jobId, 'The mapping could not be applied; see the server log.');
  }
}

/**
 * Jobs a previous process left unfinished: every one (0), or those no batch has moved for
 * `quietForMs` — a live process commits a batch far more often, so those lost their process.
 */
export async function unfinishedReapplyJobs(db: Db, quietForMs = 0): Promise<string[]> {
  const rows = await asService(db, (tx) =>
    tx
      .select({ id: mappingJobs.id })
      .from(mappingJobs)
      .where(and(inArray(mappingJobs.status, ['queued', 'running']), lt(mappingJobs.updatedAt, sql`now() - make_interval(secs => ${quietForMs / 1000})`)))
      .orderBy(asc(mappingJobs.createdAt)),
  );
  return rows.map((row) => row.id);
}
