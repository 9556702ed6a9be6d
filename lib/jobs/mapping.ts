// Mapping re-apply jobs: an Inngest event, or the in-process loop over the job's batches.
import type { Db } from '../db/engine';
import { EVENTS, inngest, type MappingReapplyData } from '../inngest/client';
import { runReapplyToEnd, unfinishedReapplyJobs } from '../mapping/reapply';
import type { Job } from './dispatch';

export function mappingReapplyRequested(data: MappingReapplyData): Job {
  return {
    name: `mapping re-apply ${data.jobId}`,
    async toInngest() {
      await inngest.send({ name: EVENTS.mappingReapplyRequested, data });
    },
    inProcess: (db) => void runHere(db, data.jobId),
  };
}

/** Jobs this process is working on: a periodic check never starts a second loop over one of them. */
const running = new Set<string>();

function runHere(db: Db, jobId: string): void {
  if (running.has(jobId)) return;
  running.add(jobId);
  void runReapplyToEnd(db, jobId).finally(() => running.delete(jobId));
}

/**
 * In process: at start-up, finish the jobs a stopped server left behind; periodically (with
 * `quietForMs`), the jobs of another instance that stopped moving them. Two processes on one job
 * take its batches in turn (reapplyNextBatch locks the job row), so nothing is mapped twice.
 */
export async function resumeReapplyJobs(db: Db, quietForMs = 0): Promise<void> {
  for (const jobId of await unfinishedReapplyJobs(db, quietForMs)) runHere(db, jobId);
}
