// How long rows that accumulate without bound are kept. The retention job (lib/jobs/retention.ts:
// daily, on Inngest or in process) runs every rule in RETENTION_RULES; each deletes, in batches,
// the rows past its period and nothing else. A table that grows with traffic gets a rule here.
//
// Periods come from the environment where an operator may want to change them:
//   WEBHOOK_REJECTION_RETENTION_DAYS (default 7)  deliveries that failed verification
//   WEBHOOK_RETENTION_DAYS           (default 30) deliveries that were processed, ignored or unrouted
//   OUTBOUND_RETENTION_DAYS          (default 30) workspace events sent to outbound endpoints, with their deliveries
//   NOTIFICATION_RETENTION_DAYS      (default 90) in-app notifications, and health issues resolved that long ago
import { sql, type SQL } from 'drizzle-orm';
import { LOGIN_LIMIT } from '../auth/local-accounts';
import { SESSION_IDLE_SECONDS } from '../auth/sessions';
import { rowsOf, type Db } from '../db/engine';
import { asService } from '../db/rls';
import { ACTION_RETENTION_RULES } from '../actions/retention';
import type { RetentionRule } from './rule';

export type { RetentionRule } from './rule';

const DAY = 24 * 60 * 60;

export const DEFAULT_WEBHOOK_REJECTION_RETENTION_DAYS = 7;
export const DEFAULT_WEBHOOK_RETENTION_DAYS = 30;
/** Deliveries no workspace can see (unknown accounts) are kept this long for the operator. */
export const ORPHAN_RETENTION_DAYS = 7;

const warned = new Set<string>();

/** A whole number of days from the environment, or the default (with a warning) when it is not one. */
export function retentionDays(variable: string, fallback: number): number {
  const raw = process.env[variable]?.trim();
  if (!raw) return fallback;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < 1 || days > 36_500) {
    if (!warned.has(`${variable}=${raw}`)) {
      warned.add(`${variable}=${raw}`);
      console.warn(`${variable}=${raw.slice(0, 20)} is not a number of days (1 or more); keeping ${fallback} days.`);
    }
    return fallback;
  }
  return days;
}

const webhookEventIds = (condition: SQL, limit: number) => ({
  table: sql`public.webhook_events`,
  ids: sql`select id from public.webhook_events where ${condition} limit ${limit}`,
});

/** Rejected deliveries (one row per claimed connection and hour, see lib/webhooks/ingest.ts). */
export const webhookRejections: RetentionRule = {
  name: 'webhook-rejections',
  description: 'webhook deliveries that failed verification',
  keepForSeconds: () => retentionDays('WEBHOOK_REJECTION_RETENTION_DAYS', DEFAULT_WEBHOOK_REJECTION_RETENTION_DAYS) * DAY,
  expired: (cutoff, limit) => webhookEventIds(sql`status = 'rejected' and coalesce(last_received_at, received_at) < ${cutoff}`, limit),
};

/**
 * Settled deliveries. Nothing references a delivery (sync runs and records do not point back at
 * it; the activity log names a replayed one by id only). A delivery is also its event id's
 * deduplication key, so it stays while its provider still retries it (last_received_at) and while
 * it was processed recently (a replay). Waiting, processing and failed deliveries stay: they still
 * need processing or an admin's replay.
 */
export const settledWebhookDeliveries: RetentionRule = {
  name: 'webhook-deliveries',
  description: 'webhook deliveries that were processed, ignored or unrouted',
  keepForSeconds: () => retentionDays('WEBHOOK_RETENTION_DAYS', DEFAULT_WEBHOOK_RETENTION_DAYS) * DAY,
  expired: (cutoff, limit) =>
    webhookEventIds(
      sql`status in ('processed', 'ignored', 'unrouted') and received_at < ${cutoff}
          and coalesce(last_received_at, received_at) < ${cutoff}
          and (processed_at is null or processed_at < ${cutoff})`,
      limit,
    ),
};

/** Verified deliveries for accounts no workspace has connected: only the operator sees them. */
export const orphanWebhookDeliveries: RetentionRule = {
  name: 'webhook-orphans',
  description: 'webhook deliveries for accounts no workspace has connected',
  keepForSeconds: () => Math.min(ORPHAN_RETENTION_DAYS, retentionDays('WEBHOOK_RETENTION_DAYS', DEFAULT_WEBHOOK_RETENTION_DAYS)) * DAY,
  expired: (cutoff, limit) =>
    webhookEventIds(sql`workspace_id is null and status = 'unrouted' and coalesce(last_received_at, received_at) < ${cutoff}`, limit),
};

/**
 * Failed sign-in attempts (lib/auth/local-accounts.ts): a row counts towards the throttle only
 * while it is younger than the window, so one older than that affects nothing any more.
 */
export const loginAttempts: RetentionRule = {
  name: 'login-attempts',
  description: 'failed sign-in attempts older than the sign-in throttle window',
  keepForSeconds: () => LOGIN_LIMIT.windowMinutes * 60,
  expired: (cutoff, limit) => ({
    table: sql`app_private.login_attempts`,
    ids: sql`select id from app_private.login_attempts where attempted_at < ${cutoff} limit ${limit}`,
  }),
};

/**
 * Ended sessions (lib/auth/sessions.ts): revoked, past their absolute expiry, or idle past the idle
 * limit, for a day (sign-in also prunes the account's own ended rows; this covers people who never
 * come back). A row that still decides anything is never past all three.
 */
export const endedSessions: RetentionRule = {
  name: 'sessions',
  description: 'sessions that ended (signed out, expired or idle) more than a day ago',
  keepForSeconds: () => DAY,
  expired: (cutoff, limit) => ({
    table: sql`app_private.sessions`,
    ids: sql`select id from app_private.sessions
             where revoked_at < ${cutoff} or expires_at < ${cutoff}
                or last_seen_at < ${cutoff} - make_interval(secs => ${SESSION_IDLE_SECONDS})
             limit ${limit}`,
  }),
};

export const DEFAULT_OUTBOUND_RETENTION_DAYS = 30;
export const DEFAULT_NOTIFICATION_RETENTION_DAYS = 90;

/**
 * Workspace events (lib/events) once every delivery of theirs has settled: deleting an event
 * deletes its deliveries (foreign key, cascade). One still being retried stays, whatever its age.
 */
export const settledWorkspaceEvents: RetentionRule = {
  name: 'workspace-events',
  description: 'outbound webhook events and their deliveries, once none is still being retried',
  keepForSeconds: () => retentionDays('OUTBOUND_RETENTION_DAYS', DEFAULT_OUTBOUND_RETENTION_DAYS) * DAY,
  expired: (cutoff, limit) => ({
    table: sql`public.workspace_events`,
    ids: sql`select e.id from public.workspace_events e
             where e.created_at < ${cutoff}
               and not exists (select 1 from public.outbound_deliveries d
                               where d.event_id = e.id and d.status in ('pending', 'retrying'))
             limit ${limit}`,
  }),
};

/** In-app notifications (lib/notifications), read or not: the bell shows recent ones. */
export const oldNotifications: RetentionRule = {
  name: 'notifications',
  description: 'in-app notifications',
  keepForSeconds: () => retentionDays('NOTIFICATION_RETENTION_DAYS', DEFAULT_NOTIFICATION_RETENTION_DAYS) * DAY,
  expired: (cutoff, limit) => ({
    table: sql`public.notifications`,
    ids: sql`select id from public.notifications where created_at < ${cutoff} limit ${limit}`,
  }),
};

/** Health issues resolved long ago (lib/health); open ones are never deleted. */
export const resolvedHealthIssues: RetentionRule = {
  name: 'health-issues',
  description: 'health issues resolved before the notification retention period',
  keepForSeconds: () => retentionDays('NOTIFICATION_RETENTION_DAYS', DEFAULT_NOTIFICATION_RETENTION_DAYS) * DAY,
  expired: (cutoff, limit) => ({
    table: sql`public.health_issues`,
    ids: sql`select id from public.health_issues where status = 'resolved' and resolved_at < ${cutoff} limit ${limit}`,
  }),
};

/** Every rule the retention job runs, in order; the job, its Inngest steps and its report follow this list. */
export const RETENTION_RULES: readonly RetentionRule[] = [
  webhookRejections,
  settledWebhookDeliveries,
  orphanWebhookDeliveries,
  loginAttempts,
  endedSessions,
  ...ACTION_RETENTION_RULES,
  settledWorkspaceEvents,
  oldNotifications,
  resolvedHealthIssues,
];

/** Rows deleted per transaction: short transactions, so ingestion and sign-in never wait long. */
export const RETENTION_BATCH = 5_000;

export interface RetentionOptions {
  /** The moment periods are counted back from (tests); the database's clock otherwise. */
  now?: Date;
  batch?: number;
}

/** Deletes everything past the rule's period; returns how many rows went. */
export async function runRule(db: Db, rule: RetentionRule, options: RetentionOptions = {}): Promise<number> {
  const batch = options.batch ?? RETENTION_BATCH;
  const seconds = rule.keepForSeconds();
  const now = options.now ? sql`${options.now.toISOString()}::timestamptz` : sql`now()`;
  const cutoff = sql`(${now} - make_interval(secs => ${seconds}))`;
  const { table, ids } = rule.expired(cutoff, batch);
  const statement = sql`delete from ${table} where id in (${ids}) returning 1`;
  let deleted = 0;
  for (;;) {
    const gone = await asService(db, async (tx) => rowsOf(await tx.execute(statement)).length);
    deleted += gone;
    if (gone < batch) return deleted;
  }
}

export type RetentionReport = Record<string, number>;

/** Runs every rule; one failing does not stop the others (the error is logged and rethrown after). */
export async function runRetention(db: Db, options: RetentionOptions & { rules?: readonly RetentionRule[] } = {}): Promise<RetentionReport> {
  const report: RetentionReport = {};
  const failures: unknown[] = [];
  for (const rule of options.rules ?? RETENTION_RULES) {
    try {
      report[rule.name] = await runRule(db, rule, options);
    } catch (error) {
      console.error(`retention: ${rule.name} failed:`, error instanceof Error ? error.message : error);
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
  return report;
}
