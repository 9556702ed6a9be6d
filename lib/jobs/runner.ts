// Who runs jobs. Only the dispatcher (./dispatch.ts) and the embedded start-up (./embedded.ts) ask;
// domain modules describe a job and hand it to dispatch() without knowing who will run it.

export type JobRunner = 'inngest' | 'in-process' | 'none';

/**
 * Inngest when a dev server or a cloud event key is configured, else the in-process runner.
 * JOB_RUNNER overrides; `none` only queues (the rows are written, tests drive the jobs directly).
 */
export function jobRunner(): JobRunner {
  const forced = process.env.JOB_RUNNER;
  if (forced === 'inngest' || forced === 'in-process' || forced === 'none') return forced;
  return process.env.INNGEST_DEV === '1' || process.env.INNGEST_EVENT_KEY ? 'inngest' : 'in-process';
}
