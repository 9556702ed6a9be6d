// Entry point the health rules call once when an issue opens (never per failed run or per
// re-detection): in-app rows for every member whose preferences admit the severity, and mail at
// once to those who want it. Call it after the issue's opening has committed: it opens its own
// transactions.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/engine';
import { asService } from '../db/rls';
import { authUsers, notificationPreferences, notifications, workspaceMembers, workspaces } from '../db/schema';
import type { HealthIssue } from '../health/types';
import { describeForLog } from '../http/route';
import { sendMail } from '../mail/send';
import { issueOpenedMail, type IssueForMail } from '../mail/templates';
import { decideRecipients, issueHref, type Member } from './decide';
import { absoluteUrl, preferencesPath } from './links';

/** The workspace's members with their sign-in address and their preferences (null: defaults). */
export async function membersOf(tx: Queryable, workspaceId: string): Promise<Member[]> {
  const rows = await tx
    .select({
      userId: workspaceMembers.userId,
      email: authUsers.email,
      confirmedAt: authUsers.emailConfirmedAt,
      minSeverity: notificationPreferences.minSeverity,
      emailMode: notificationPreferences.email,
    })
    .from(workspaceMembers)
    .innerJoin(authUsers, eq(authUsers.id, workspaceMembers.userId))
    .leftJoin(
      notificationPreferences,
      and(eq(notificationPreferences.workspaceId, workspaceMembers.workspaceId), eq(notificationPreferences.userId, workspaceMembers.userId)),
    )
    .where(eq(workspaceMembers.workspaceId, workspaceId));
  return rows.map((row) => ({
    userId: row.userId,
    email: row.email,
    emailVerified: row.confirmedAt !== null,
    preferences: row.minSeverity && row.emailMode ? { minSeverity: row.minSeverity, email: row.emailMode } : null,
  }));
}

export async function workspaceName(tx: Queryable, workspaceId: string): Promise<string> {
  const [row] = await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row?.name ?? 'your workspace';
}

export async function notifyIssueOpened(db: Db, issue: HealthIssue): Promise<void> {
  const href = issueHref(issue);
  const immediate = await asService(db, async (tx) => {
    const recipients = decideRecipients(issue.severity, await membersOf(tx, issue.workspaceId));
    if (recipients.length === 0) return [];
    // Unique per (workspace, user, issue): a second call for the same opening inserts nothing,
    // and only rows inserted now are mailed, so nobody gets the same issue twice.
    const inserted = await tx
      .insert(notifications)
      .values(
        recipients.map((r) => ({
          workspaceId: issue.workspaceId,
          userId: r.userId,
          issueId: issue.id,
          kind: issue.kind,
          severity: issue.severity,
          title: issue.title.slice(0, 300),
          body: issue.explanation.slice(0, 4000),
          href,
          email: r.delivery,
        })),
      )
      .onConflictDoNothing({ target: [notifications.workspaceId, notifications.userId, notifications.issueId] })
      .returning({ id: notifications.id, userId: notifications.userId, email: notifications.email });
    const mailTo = new Map(recipients.map((r) => [r.userId, r.email]));
    return inserted
      .filter((row) => row.email === 'immediately' && mailTo.get(row.userId))
      .map((row) => ({ id: row.id, to: mailTo.get(row.userId)! }));
  });
  if (immediate.length === 0) return;
  const name = await asService(db, (tx) => workspaceName(tx, issue.workspaceId));
  const forMail: IssueForMail = {
    severity: issue.severity,
    title: issue.title,
    explanation: issue.explanation,
    fixLabel: issue.fix.label || 'Open',
    url: absoluteUrl(href),
  };
  for (const { id, to } of immediate) {
    await mailOnce(db, id, issueOpenedMail(to, { workspaceName: name, issue: forMail, preferencesUrl: absoluteUrl(preferencesPath(issue.workspaceId)) }));
  }
}

/**
 * Claims the row (emailed_at) before sending, so a retry running beside this never mails it
 * twice; a refused send releases the claim for the retry pass (digest.ts) to try again.
 */
export async function mailOnce(db: Db, notificationId: string, message: Parameters<typeof sendMail>[1]): Promise<boolean> {
  const claimed = await asService(db, (tx) =>
    tx
      .update(notifications)
      .set({ emailedAt: sql`now()` })
      .where(and(eq(notifications.id, notificationId), sql`${notifications.emailedAt} is null`))
      .returning({ id: notifications.id }),
  );
  if (claimed.length === 0) return false;
  try {
    await sendMail(db, message);
    return true;
  } catch (error) {
    console.error(`notification mail not sent (will retry): ${describeForLog(error)}`);
    await asService(db, (tx) => tx.update(notifications).set({ emailedAt: null }).where(inArray(notifications.id, [notificationId])));
    return false;
  }
}
