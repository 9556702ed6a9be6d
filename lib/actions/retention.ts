// Retention of the public API's growing tables (lib/retention/rules.ts runs them):
//   idempotency-keys  keys past their 24 hours (expires_at), with their stored answers
//   action-logs       action log rows older than ACTION_LOG_RETENTION_DAYS (default 90)
import { sql, type SQL } from 'drizzle-orm';
import type { RetentionRule } from '../retention/rule';

export const DEFAULT_ACTION_LOG_RETENTION_DAYS = 90;

export function actionLogRetentionDays(env: Record<string, string | undefined> = process.env): number {
  const raw = env.ACTION_LOG_RETENTION_DAYS?.trim();
  if (!raw) return DEFAULT_ACTION_LOG_RETENTION_DAYS;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < 1 || days > 36_500) {
    console.warn(`ACTION_LOG_RETENTION_DAYS=${raw.slice(0, 20)} is not a number of days (1 or more); keeping ${DEFAULT_ACTION_LOG_RETENTION_DAYS} days.`);
    return DEFAULT_ACTION_LOG_RETENTION_DAYS;
  }
  return days;
}

/** Keys carry their own expiry (24 hours from their first use): the cutoff is now. */
export const expiredIdempotencyKeys: RetentionRule = {
  name: 'idempotency-keys',
  description: 'Idempotency-Key records (and their stored answers) past their 24 hours',
  keepForSeconds: () => 0,
  expired: (cutoff: SQL, limit: number) => ({
    table: sql`public.idempotency_keys`,
    ids: sql`select id from public.idempotency_keys where expires_at < ${cutoff} limit ${limit}`,
  }),
};

export const oldActionLogs: RetentionRule = {
  name: 'action-logs',
  description: 'action log entries',
  keepForSeconds: () => actionLogRetentionDays() * 24 * 60 * 60,
  expired: (cutoff: SQL, limit: number) => ({
    table: sql`public.action_logs`,
    ids: sql`select id from public.action_logs where created_at < ${cutoff} limit ${limit}`,
  }),
};

export const ACTION_RETENTION_RULES: readonly RetentionRule[] = [expiredIdempotencyKeys, oldActionLogs];
