// The Inngest client and the events it carries. In development, INNGEST_DEV=1 points it at a
// local Inngest dev server; in the cloud, INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY configure it.
import { Inngest } from 'inngest';

export const inngest = new Inngest({ id: 'integration-hub' });

export const EVENTS = {
  syncRequested: 'hub/sync.requested',
  connectionDisconnected: 'hub/connection.disconnected',
  mappingReapplyRequested: 'hub/mapping.reapply-requested',
} as const;

export interface MappingReapplyData {
  jobId: string;
  connectionId: string;
}

export interface SyncRequestedData {
  runId: string;
  connectionId: string;
  provider: string;
}

export type JobRunner = 'inngest' | 'in-process' | 'none';

/**
 * Who runs jobs: Inngest when a dev server or a cloud event key is configured, else the
 * in-process runner. JOB_RUNNER overrides; `none` only queues runs (tests drive them directly).
 */
export function jobRunner(): JobRunner {
  const forced = process.env.JOB_RUNNER;
  if (forced === 'inngest' || forced === 'in-process' || forced === 'none') return forced;
  return process.env.INNGEST_DEV === '1' || process.env.INNGEST_EVENT_KEY ? 'inngest' : 'in-process';
}
