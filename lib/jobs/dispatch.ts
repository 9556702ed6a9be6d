// The one place that decides who runs a job: Inngest when it is configured, else the in-process
// runner in this server, else (JOB_RUNNER=none) nobody — the job's rows are already committed and
// whoever drives jobs (a test, the next start) finds them. Domain modules never branch on it.
//
// A job is a small object that knows both ways of running itself; the kinds live in their own
// modules (./syncs, ./webhooks, ./mapping, ./connections) so that code run by one kind may
// dispatch another without an import cycle (the webhook worker, run in process, requests syncs).
import type { Db } from '../db/engine';
import { jobRunner } from './runner';

export interface Job {
  /** What it is, for messages. */
  readonly name: string;
  /** Hands the job to Inngest (sends its event). A failure to send is the caller's to handle. */
  toInngest(): Promise<void>;
  /** Starts the job in this process and returns at once; nothing to do when absent. */
  inProcess?(db: Db): void;
}

export async function dispatch(db: Db, job: Job): Promise<void> {
  switch (jobRunner()) {
    case 'inngest':
      await job.toInngest();
      return;
    case 'in-process':
      job.inProcess?.(db);
      return;
    case 'none':
      return;
  }
}
