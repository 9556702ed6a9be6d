// The Inngest client and the events it carries. In development, INNGEST_DEV=1 points it at a
// local Inngest dev server; in the cloud, INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY configure it.
// Whether jobs go to Inngest at all is decided in lib/jobs (dispatch).
import { Inngest } from 'inngest';

export const inngest = new Inngest({ id: 'integration-hub' });

export const EVENTS = {
  syncRequested: 'hub/sync.requested',
  connectionDisconnected: 'hub/connection.disconnected',
  mappingReapplyRequested: 'hub/mapping.reapply-requested',
} as const;

export const WEBHOOK_EVENTS = {
  received: 'hub/webhook.received',
} as const;

export interface WebhookReceivedData {
  connectionId: string;
}

export interface MappingReapplyData {
  jobId: string;
  connectionId: string;
}

export interface SyncRequestedData {
  runId: string;
  connectionId: string;
  provider: string;
}

/** Runs the retention rules now (the daily cron runs them too): lib/jobs/retention.ts sends it. */
export const RETENTION_EVENTS = {
  requested: 'hub/retention.requested',
} as const;

/** Checks one connection's health now (lib/jobs/health.ts sends it; a cron sweeps every connection too). */
export const HEALTH_EVENTS = {
  checkRequested: 'hub/health.check-requested',
} as const;

export interface HealthCheckData {
  connectionId: string;
}
