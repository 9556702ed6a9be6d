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
    inProcess: (db) => void runReapplyToEnd(db, data.jobId),
  };
}

/** In process, at start-up: finish the jobs a stopped server left behind. */
export async function resumeReapplyJobs(db: Db): Promise<void> {
  for (const jobId of await unfinishedReapplyJobs(db)) void runReapplyToEnd(db, jobId);
}
