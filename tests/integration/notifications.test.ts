// Notifications (lib/notifications) on a real database: an issue opening becomes one in-app row
// per member whose preferences admit it and one immediate mail per recipient in the Outbox; a
// repeated call for the same issue sends nothing new; digest members get one mail listing what
// opened since their last digest; the routes list, count and mark read only the member's own.
import crypto from 'node:crypto';
import { InngestTestEngine } from '@inngest/test';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { asService } from '@/lib/db/rls';
import { notifications } from '@/lib/db/schema';
import type { HealthIssue, HealthSeverity } from '@/lib/health/types';
import { raiseIssue } from '@/lib/health/store';
import { createFunctions } from '@/lib/inngest/functions';
import { dispatch } from '@/lib/jobs/dispatch';
import { notificationMailRequested, sendNotificationMailInProcess } from '@/lib/jobs/notifications';
import { listOutbox } from '@/lib/mail/outbox';
import { digestDayStart, runNotificationMail, sendDueDigests } from '@/lib/notifications/digest';
import { notifyIssueOpened } from '@/lib/notifications/notify';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { GET as listRoute } from '@/app/api/workspaces/[workspaceId]/notifications/route';
import { POST as readRoute } from '@/app/api/workspaces/[workspaceId]/notifications/read/route';
import { GET as getPreferencesRoute, PUT as putPreferencesRoute } from '@/app/api/workspaces/[workspaceId]/notification-preferences/route';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { addMemberAndAccept } from '../support/members';
import { actAs, call, releaseDatabase, useDatabase } from './route-harness';

vi.mock('next/headers', () => import('./route-harness').then((m) => m.nextHeaders));

const APP_URL = 'http://hub.example.test';
const previousAppUrl = process.env.APP_URL;
const previousSmtpUrl = process.env.SMTP_URL;

let database: TestDatabase;
let workspaceId: string;
let owner: SessionUser; // defaults: warning and above, mail at once
let digest: SessionUser; // info and above, daily digest
let criticalOnly: SessionUser; // critical only, mail at once
let quiet: SessionUser; // info and above, no mail
let unverified: SessionUser; // defaults, but the address is not proven
let outsider: SessionUser; // a member of another workspace only

const ws = () => ({ workspaceId });

async function setPreferences(user: SessionUser, body: unknown) {
  await actAs(user);
  const response = await call(putPreferencesRoute, `/api/workspaces/${workspaceId}/notification-preferences`, { method: 'PUT', params: ws(), body });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

function issue(severity: HealthSeverity, overrides: Partial<HealthIssue> = {}): HealthIssue {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    workspaceId,
    connectionId: null,
    subject: crypto.randomUUID(),
    kind: 'endpoint_failing',
    severity,
    status: 'open',
    title: `Deliveries to the CRM endpoint keep failing (${severity})`,
    explanation: 'The last 40 deliveries failed with HTTP 500 over 3 days; events are piling up.',
    fix: { kind: 'edit_endpoint', label: 'Check the endpoint', href: `/w/${workspaceId}/webhooks` },
    count: 1,
    firstSeenAt: now,
    lastSeenAt: now,
    resolvedAt: null,
    details: {},
    ...overrides,
  };
}

async function rowsFor(issueId: string) {
  return asService(database.db, (tx) =>
    tx.select().from(notifications).where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.issueId, issueId))),
  );
}

const issueMails = async (user: SessionUser, kind: 'issue_opened' | 'issue_digest' = 'issue_opened') =>
  (await listOutbox(database.db, user.email)).filter((m) => m.kind === kind);

beforeAll(async () => {
  process.env.APP_URL = APP_URL;
  delete process.env.SMTP_URL;
  database = await createTestDatabase();
  useDatabase(database);
  owner = await createUser(database, 'owner');
  workspaceId = (await createWorkspace(database.db, owner, 'Notified')).id;
  digest = await createUser(database, 'digest');
  criticalOnly = await createUser(database, 'critical');
  quiet = await createUser(database, 'quiet');
  for (const user of [digest, criticalOnly, quiet]) {
    await addMemberAndAccept(database.db, owner, workspaceId, { email: user.email, role: 'member' });
  }
  // An unverified address cannot accept an invitation; it stands for an account whose address
  // stopped being proven after joining (e.g. a changed sign-in email), added on the service path.
  unverified = await createUser(database, 'unverified', { verified: false });
  await asService(database.db, (tx) =>
    tx.execute(sql`insert into public.workspace_members (workspace_id, user_id, role) values (${workspaceId}, ${unverified.userId}, 'viewer')`),
  );
  outsider = await createUser(database, 'outsider');
  await createWorkspace(database.db, outsider, 'Elsewhere');

  await setPreferences(digest, { minSeverity: 'info', email: 'daily_digest' });
  await setPreferences(criticalOnly, { minSeverity: 'critical', email: 'immediately' });
  await setPreferences(quiet, { minSeverity: 'info', email: 'off' });
});

afterAll(async () => {
  releaseDatabase();
  if (previousAppUrl === undefined) delete process.env.APP_URL;
  else process.env.APP_URL = previousAppUrl;
  if (previousSmtpUrl !== undefined) process.env.SMTP_URL = previousSmtpUrl;
  await database.drop();
});

describe(`notifications (${testEngine})`, () => {
  it('notifies in the app per preference and mails each immediate recipient exactly once', async () => {
    const opened = issue('warning');
    await notifyIssueOpened(database.db, opened);

    const rows = await rowsFor(opened.id);
    const byUser = new Map(rows.map((r) => [r.userId, r]));
    // critical-only does not hear about a warning; everyone else does, in the app.
    expect([...byUser.keys()].sort()).toEqual([owner, digest, quiet, unverified].map((u) => u.userId).sort());
    expect(byUser.get(owner.userId)).toMatchObject({ email: 'immediately', severity: 'warning', href: `/w/${workspaceId}/webhooks`, readAt: null });
    expect(byUser.get(owner.userId)!.emailedAt).not.toBeNull();
    expect(byUser.get(digest.userId)).toMatchObject({ email: 'daily_digest', emailedAt: null });
    expect(byUser.get(quiet.userId)).toMatchObject({ email: 'none', emailedAt: null });
    expect(byUser.get(unverified.userId)).toMatchObject({ email: 'none', emailedAt: null });

    const [mail] = await issueMails(owner);
    expect(await issueMails(owner)).toHaveLength(1);
    expect(mail.subject).toBe(`Warning: ${opened.title} (Notified)`);
    expect(mail.text).toContain(opened.explanation);
    expect(mail.text).toContain(`Check the endpoint: ${APP_URL}/w/${workspaceId}/webhooks`);
    expect(mail.links).toEqual([`${APP_URL}/w/${workspaceId}/webhooks`, `${APP_URL}/w/${workspaceId}/settings#notifications`]);
    for (const user of [digest, criticalOnly, quiet, unverified]) expect(await issueMails(user), user.email).toEqual([]);
  });

  it('sends nothing new when the same opening is reported again', async () => {
    const opened = issue('critical');
    await notifyIssueOpened(database.db, opened);
    const before = await rowsFor(opened.id);
    const mailsBefore = { owner: (await issueMails(owner)).length, critical: (await issueMails(criticalOnly)).length };
    expect(before).toHaveLength(5);

    await notifyIssueOpened(database.db, opened);
    await notifyIssueOpened(database.db, { ...opened, title: 'Reported again' });
    const after = await rowsFor(opened.id);
    expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
    expect((await issueMails(owner)).length).toBe(mailsBefore.owner);
    expect((await issueMails(criticalOnly)).length).toBe(mailsBefore.critical);
    expect(mailsBefore.critical).toBeGreaterThanOrEqual(1);
  });

  it('notifies once when the health rules open an issue, and not when they re-detect it', async () => {
    const subject = crypto.randomUUID();
    const condition = {
      workspaceId,
      connectionId: null,
      kind: 'endpoint_failing' as const,
      severity: 'critical' as const,
      subject,
      title: 'The CRM endpoint is failing',
      explanation: 'Every delivery for two days failed.',
      fix: { kind: 'edit_endpoint' as const, label: 'Edit the endpoint', href: `/w/${workspaceId}/webhooks` },
      details: {},
    };
    const mailsBefore = (await issueMails(criticalOnly)).length;
    const opened = await raiseIssue(database.db, condition);
    const again = await raiseIssue(database.db, condition);
    expect(again.id).toBe(opened.id);
    expect(again.count).toBe(2);
    expect(await rowsFor(opened.id)).toHaveLength(5);
    expect((await issueMails(criticalOnly)).length).toBe(mailsBefore + 1);
  });

  it('collects digest rows into one mail a day, and sends none when nothing happened', async () => {
    // Two days in the future, past the digest hour: the digest of the rows above is due.
    const now = new Date(Date.now() + 2 * 86_400_000);
    now.setUTCHours(23, 0, 0, 0);
    const info = issue('info', { title: 'Records are getting stale' });
    await notifyIssueOpened(database.db, info);
    const pending = await asService(database.db, (tx) =>
      tx.select().from(notifications).where(and(eq(notifications.userId, digest.userId), eq(notifications.email, 'daily_digest'))),
    );
    expect(pending.length).toBeGreaterThanOrEqual(4);
    expect(pending.every((r) => r.emailedAt === null)).toBe(true);

    expect(await runNotificationMail(database.db, now)).toEqual({ digests: 1, retried: 0 });
    const digests = await issueMails(digest, 'issue_digest');
    expect(digests).toHaveLength(1);
    expect(digests[0].subject).toBe(`${pending.length} new issues in Notified (daily digest)`);
    for (const row of pending) expect(digests[0].text).toContain(row.title);
    expect(digests[0].text).toContain(`${APP_URL}/w/${workspaceId}/webhooks`);
    expect(await issueMails(digest)).toEqual([]);

    // The same day again: nothing new, nothing sent. A later issue waits for the next day.
    expect(await sendDueDigests(database.db, now)).toBe(0);
    await notifyIssueOpened(database.db, issue('warning', { title: 'Later the same day' }));
    expect(await sendDueDigests(database.db, new Date(now.getTime() + 30 * 60_000))).toBe(0);
    expect(await issueMails(digest, 'issue_digest')).toHaveLength(1);
    const nextDay = new Date(digestDayStart(now).getTime() + 86_400_000 + 60_000);
    expect(await sendDueDigests(database.db, nextDay)).toBe(1);
    const [latest] = await issueMails(digest, 'issue_digest');
    expect(latest.subject).toBe('1 new issue in Notified (daily digest)');
    expect(latest.text).toContain('Later the same day');
    // Nothing happened since: no mail.
    expect(await sendDueDigests(database.db, new Date(nextDay.getTime() + 86_400_000))).toBe(0);
    expect(await issueMails(digest, 'issue_digest')).toHaveLength(2);
  });
});

describe(`the notification mail job (${testEngine})`, () => {
  it('runs as an Inngest cron function and in process, sending a due digest once', async () => {
    const late = await createUser(database, 'late-digest');
    await addMemberAndAccept(database.db, owner, workspaceId, { email: late.email, role: 'viewer' });
    await setPreferences(late, { minSeverity: 'warning', email: 'daily_digest' });
    await notifyIssueOpened(database.db, issue('critical', { title: 'Collected for the digest' }));

    const { sendNotificationMail } = createFunctions(async () => database.db);
    const triggers = (sendNotificationMail as unknown as { opts: { triggers: unknown[] } }).opts.triggers;
    expect(triggers).toContainEqual({ cron: expect.any(String) });
    const { result } = await new InngestTestEngine({ function: sendNotificationMail }).execute();
    expect(result).toEqual({ digests: 1, retried: 0 });
    const [mail] = await issueMails(late, 'issue_digest');
    expect(mail.text).toContain('Collected for the digest');

    // In process: dispatch starts a pass and a second request joins it; today's digest is sent.
    const previous = process.env.JOB_RUNNER;
    process.env.JOB_RUNNER = 'in-process';
    try {
      await notifyIssueOpened(database.db, issue('critical', { title: 'Tomorrow’s news' }));
      await dispatch(database.db, notificationMailRequested());
      expect(await sendNotificationMailInProcess(database.db)).toEqual({ digests: 0, retried: 0 });
      expect(await issueMails(late, 'issue_digest')).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.JOB_RUNNER;
      else process.env.JOB_RUNNER = previous;
    }
  });
});

describe(`notification routes (${testEngine})`, () => {
  it('lists the member’s own notifications newest first with the unread count, in pages', async () => {
    await actAs(owner);
    const first = await call(listRoute, `/api/workspaces/${workspaceId}/notifications?limit=2`, { params: ws() });
    expect(first.status).toBe(200);
    const page1 = await first.json();
    expect(page1.notifications).toHaveLength(2);
    expect(page1.unread).toBeGreaterThanOrEqual(4);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const all = await (await call(listRoute, `/api/workspaces/${workspaceId}/notifications?limit=50`, { params: ws() })).json();
    expect(all.nextCursor).toBeNull();
    expect(all.notifications.length).toBe(page1.unread);
    const times = all.notifications.map((n: { createdAt: string }) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    // Walking the pages visits every notification once, in order.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/workspaces/${workspaceId}/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await (await call(listRoute, url, { params: ws() })).json();
      walked.push(...page.notifications.map((n: { id: string }) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.notifications.map((n: { id: string }) => n.id));

    const bad = await call(listRoute, `/api/workspaces/${workspaceId}/notifications?cursor=bm9wZQ`, { params: ws() });
    expect(bad.status).toBe(400);
    const tooMany = await call(listRoute, `/api/workspaces/${workspaceId}/notifications?limit=500`, { params: ws() });
    expect((await tooMany.json()).code).toBe('validation_failed');
  });

  it('marks read by id and all at once, and nobody can read or mark another member’s', async () => {
    await actAs(owner);
    const mine = await (await call(listRoute, `/api/workspaces/${workspaceId}/notifications`, { params: ws() })).json();
    await actAs(quiet);
    const theirs = await (await call(listRoute, `/api/workspaces/${workspaceId}/notifications?limit=50`, { params: ws() })).json();
    const ownerIds = new Set(mine.notifications.map((n: { id: string }) => n.id));
    expect(theirs.notifications.some((n: { id: string }) => ownerIds.has(n.id))).toBe(false);

    // quiet tries to mark the owner's notification read: nothing matches.
    const target = mine.notifications[0].id;
    const forged = await call(readRoute, `/api/workspaces/${workspaceId}/notifications/read`, { method: 'POST', params: ws(), body: { ids: [target] } });
    expect(await forged.json()).toEqual({ updated: 0, unread: theirs.unread });
    // An outsider sees a 404 for the workspace and marks nothing.
    await actAs(outsider);
    const outside = await call(readRoute, `/api/workspaces/${workspaceId}/notifications/read`, { method: 'POST', params: ws(), body: { all: true } });
    expect(outside.status).toBe(404);
    expect((await call(listRoute, `/api/workspaces/${workspaceId}/notifications`, { params: ws() })).status).toBe(404);

    await actAs(owner);
    const [row] = await asService(database.db, (tx) => tx.select().from(notifications).where(eq(notifications.id, target)));
    expect(row.readAt).toBeNull();
    const one = await (await call(readRoute, `/api/workspaces/${workspaceId}/notifications/read`, { method: 'POST', params: ws(), body: { ids: [target] } })).json();
    expect(one).toEqual({ updated: 1, unread: mine.unread - 1 });
    const listed = await (await call(listRoute, `/api/workspaces/${workspaceId}/notifications`, { params: ws() })).json();
    expect(listed.notifications.find((n: { id: string }) => n.id === target).readAt).toEqual(expect.any(String));
    const unreadOnly = await (await call(listRoute, `/api/workspaces/${workspaceId}/notifications?unread=true&limit=50`, { params: ws() })).json();
    expect(unreadOnly.notifications.map((n: { id: string }) => n.id)).not.toContain(target);

    const all = await (await call(readRoute, `/api/workspaces/${workspaceId}/notifications/read`, { method: 'POST', params: ws(), body: { all: true } })).json();
    expect(all).toEqual({ updated: mine.unread - 1, unread: 0 });
    // The quiet member's notifications are untouched.
    await actAs(quiet);
    expect((await (await call(listRoute, `/api/workspaces/${workspaceId}/notifications`, { params: ws() })).json()).unread).toBe(theirs.unread);

    for (const body of [{}, { ids: [] }, { ids: ['nope'] }, { all: false }, { all: true, ids: [target] }]) {
      const refused = await call(readRoute, `/api/workspaces/${workspaceId}/notifications/read`, { method: 'POST', params: ws(), body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('reads and saves only the member’s own preferences, with the defaults until saved', async () => {
    await actAs(owner);
    const defaults = await (await call(getPreferencesRoute, `/api/workspaces/${workspaceId}/notification-preferences`, { params: ws() })).json();
    expect(defaults).toEqual({ minSeverity: 'warning', email: 'immediately', isDefault: true, emailVerified: true });
    await actAs(unverified);
    const theirs = await (await call(getPreferencesRoute, `/api/workspaces/${workspaceId}/notification-preferences`, { params: ws() })).json();
    expect(theirs).toMatchObject({ isDefault: true, emailVerified: false });
    await actAs(digest);
    expect(await (await call(getPreferencesRoute, `/api/workspaces/${workspaceId}/notification-preferences`, { params: ws() })).json()).toEqual({
      minSeverity: 'info',
      email: 'daily_digest',
      isDefault: false,
      emailVerified: true,
    });
    expect(await setPreferences(digest, { minSeverity: 'critical', email: 'off' })).toMatchObject({ minSeverity: 'critical', email: 'off' });
    // The owner's still default: saving one member's preferences never touches another's.
    await actAs(owner);
    expect((await (await call(getPreferencesRoute, `/api/workspaces/${workspaceId}/notification-preferences`, { params: ws() })).json()).isDefault).toBe(true);

    for (const body of [{ minSeverity: 'urgent', email: 'off' }, { minSeverity: 'info' }, { minSeverity: 'info', email: 'off', userId: owner.userId }]) {
      const refused = await call(putPreferencesRoute, `/api/workspaces/${workspaceId}/notification-preferences`, { method: 'PUT', params: ws(), body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    await actAs(outsider);
    expect((await call(getPreferencesRoute, `/api/workspaces/${workspaceId}/notification-preferences`, { params: ws() })).status).toBe(404);
  });
});
