// The job seam for re-applying mappings, as for syncs: an Inngest event when Inngest is
// configured, else the in-process loop; `none` only queues (tests drive the job themselves).
import type { Db } from '../db/engine';
import { EVENTS, inngest, jobRunner } from '../inngest/client';
import { runReapplyToEnd, unfinishedReapplyJobs } from './reapply';

export async function startReapply(db: Db, job: { jobId: string; connectionId: string }): Promise<void> {
  const runner = jobRunner();
  if (runner === 'inngest') await inngest.send({ name: EVENTS.mappingReapplyRequested, data: job });
  else if (runner === 'in-process') void runReapplyToEnd(db, job.jobId);
}

/** Embedded mode, at start-up: finish the jobs a stopped server left behind. */
export async function resumeReapplyJobs(db: Db): Promise<void> {
  for (const jobId of await unfinishedReapplyJobs(db)) void runReapplyToEnd(db, jobId);
}
