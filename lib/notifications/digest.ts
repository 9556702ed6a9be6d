// The daily digest: each member who chose it gets one mail a day listing the issues opened since
// their last digest, and no mail when nothing happened. The job (lib/jobs/notifications.ts) runs
// hourly in process and from an Inngest cron; a digest is due once per UTC day, at or after
// DIGEST_HOUR_UTC, so the hour it runs at does not matter and a restart never sends a second one.
// The same pass retries immediate mails a failed send left unsent.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/engine';
import { asService } from '../db/rls';
import { notificationPreferences, notifications } from '../db/schema';
import { describeForLog } from '../http/route';
import { sendMail } from '../mail/send';
import { issueDigestMail, issueOpenedMail } from '../mail/templates';
import { absoluteUrl, preferencesPath } from './links';
import { mailOnce, workspaceName } from './notify';

/** The hour (UTC) from which each day's digest goes out. */
export function digestHourUtc(): number {
  const hour = Number(process.env.NOTIFICATION_DIGEST_HOUR_UTC ?? 8);
  return Number.isInteger(hour) && hour >= 0 && hour <= 23 ? hour : 8;
}

/** The start of the current digest day: today's digest hour, or yesterday's before it. */
export function digestDayStart(now: Date, hour = digestHourUtc()): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  if (start > now) start.setUTCDate(start.getUTCDate() - 1);
  return start;
}

/** Immediate mails younger than this are left to the call that is sending them. */
const RETRY_AFTER_MS = 2 * 60_000;
/** Older unsent immediate mails are stale news; they stay in the app only. */
const RETRY_WITHIN_MS = 24 * 60 * 60_000;

export interface DigestReport {
  digests: number;
  retried: number;
}

export async function runNotificationMail(db: Db, now = new Date()): Promise<DigestReport> {
  return { digests: await sendDueDigests(db, now), retried: await retryUnsentImmediate(db, now) };
}

interface Pending {
  workspace_id: string;
  user_id: string;
  email: string | null;
  last_digest_at: unknown;
}

export async function sendDueDigests(db: Db, now = new Date()): Promise<number> {
  const dayStart = digestDayStart(now);
  // Members with digest rows not yet mailed whose last digest is from an earlier digest day.
  const due = await asService(db, async (tx) =>
    rowsOf<Pending>(
      await tx.execute(sql`
        select n.workspace_id, n.user_id, u.email, p.last_digest_at
        from (select distinct workspace_id, user_id from public.notifications
              where email = 'daily_digest' and emailed_at is null) n
        join auth.users u on u.id = n.user_id
        left join public.notification_preferences p on p.workspace_id = n.workspace_id and p.user_id = n.user_id
        where u.email_confirmed_at is not null and u.email is not null
          and (p.last_digest_at is null or p.last_digest_at < ${dayStart.toISOString()}::timestamptz)`),
    ),
  );
  let sent = 0;
  for (const member of due) if (await sendDigest(db, member, now)) sent += 1;
  return sent;
}

async function sendDigest(db: Db, member: Pending, now: Date): Promise<boolean> {
  const { workspace_id: workspaceId, user_id: userId } = member;
  // Claim the rows and stamp the day in one transaction: a pass running beside this finds nothing.
  const claimed = await asService(db, async (tx) => {
    const rows = await tx
      .update(notifications)
      .set({ emailedAt: now })
      .where(
        and(
          eq(notifications.workspaceId, workspaceId),
          eq(notifications.userId, userId),
          eq(notifications.email, 'daily_digest'),
          sql`${notifications.emailedAt} is null`,
        ),
      )
      .returning();
    if (rows.length === 0) return null;
    await tx
      .insert(notificationPreferences)
      .values({ workspaceId, userId, lastDigestAt: now })
      .onConflictDoUpdate({ target: [notificationPreferences.workspaceId, notificationPreferences.userId], set: { lastDigestAt: now } });
    return { rows, name: await workspaceName(tx, workspaceId) };
  });
  if (!claimed || !member.email) return false;
  const issues = claimed.rows
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((row) => ({
      severity: row.severity,
      title: row.title,
      explanation: row.body,
      fixLabel: 'Open',
      url: absoluteUrl(row.href ?? `/w/${workspaceId}`),
    }));
  try {
    await sendMail(db, issueDigestMail(member.email, { workspaceName: claimed.name, issues, preferencesUrl: absoluteUrl(preferencesPath(workspaceId)) }));
    return true;
  } catch (error) {
    // Give the rows and the day back, so the next pass sends this digest again.
    console.error(`notification digest not sent (will retry): ${describeForLog(error)}`);
    await asService(db, async (tx) => {
      await tx.update(notifications).set({ emailedAt: null }).where(inArray(notifications.id, claimed.rows.map((r) => r.id)));
      await tx
        .update(notificationPreferences)
        .set({ lastDigestAt: asDate(member.last_digest_at) })
        .where(and(eq(notificationPreferences.workspaceId, workspaceId), eq(notificationPreferences.userId, userId)));
    });
    return false;
  }
}

/** Immediate mails whose send failed (the claim was released), from the last day. */
export async function retryUnsentImmediate(db: Db, now = new Date()): Promise<number> {
  const rows = await asService(db, async (tx) =>
    rowsOf<{ id: string; workspace_id: string; severity: 'critical' | 'warning' | 'info'; title: string; body: string; href: string | null; email: string }>(
      await tx.execute(sql`
        select n.id, n.workspace_id, n.severity, n.title, n.body, n.href, u.email
        from public.notifications n join auth.users u on u.id = n.user_id
        where n.email = 'immediately' and n.emailed_at is null
          and n.created_at < ${new Date(now.getTime() - RETRY_AFTER_MS).toISOString()}::timestamptz
          and n.created_at > ${new Date(now.getTime() - RETRY_WITHIN_MS).toISOString()}::timestamptz
          and u.email_confirmed_at is not null and u.email is not null
        order by n.created_at
        limit 500`),
    ),
  );
  let sent = 0;
  for (const row of rows) {
    const name = await asService(db, (tx) => workspaceName(tx, row.workspace_id));
    const mail = issueOpenedMail(row.email, {
      workspaceName: name,
      issue: { severity: row.severity, title: row.title, explanation: row.body, fixLabel: 'Open', url: absoluteUrl(row.href ?? `/w/${row.workspace_id}`) },
      preferencesUrl: absoluteUrl(preferencesPath(row.workspace_id)),
    });
    if (await mailOnce(db, row.id, mail)) sent += 1;
  }
  return sent;
}

function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}
