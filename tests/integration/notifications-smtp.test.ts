// With SMTP_URL set, an issue's notification mail leaves through nodemailer to a real SMTP server
// (an smtp-server peer on 127.0.0.1), carrying the issue's explanation and an absolute fix link
// built from APP_URL; an unverified member's address receives nothing.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { listOutbox } from '@/lib/mail/outbox';
import { notifyIssueOpened } from '@/lib/notifications/notify';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { plainText, smtpPeer } from '../support/smtp';

const APP_URL = 'https://hub.example.test';
const previousAppUrl = process.env.APP_URL;
const { received } = smtpPeer();
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.APP_URL = APP_URL;
});

afterAll(async () => {
  if (previousAppUrl === undefined) delete process.env.APP_URL;
  else process.env.APP_URL = previousAppUrl;
  await database.drop();
});

describe(`notification mail over SMTP (${testEngine})`, () => {
  it('delivers one mail per verified recipient to the SMTP server, with the absolute fix link', async () => {
    const owner = await createUser(database, 'owner');
    const workspace = await createWorkspace(database.db, owner, 'Over SMTP');
    const unverified = await createUser(database, 'unverified', { verified: false });
    await asService(database.db, (tx) =>
      tx.execute(sql`insert into public.workspace_members (workspace_id, user_id, role) values (${workspace.id}, ${unverified.userId}, 'member')`),
    );
    const connectionId = crypto.randomUUID();
    const now = new Date().toISOString();
    const issue = {
      id: crypto.randomUUID(),
      workspaceId: workspace.id,
      connectionId,
      subject: '',
      kind: 'needs_reauth' as const,
      severity: 'critical' as const,
      status: 'open' as const,
      title: 'The CRM needs re-authorising',
      explanation: 'The provider refused the stored token; nothing syncs until someone reconnects.',
      fix: { kind: 'reconnect' as const, label: 'Reconnect', href: null },
      count: 1,
      firstSeenAt: now,
      lastSeenAt: now,
      resolvedAt: null,
      details: {},
    };

    await notifyIssueOpened(database.db, issue);
    await notifyIssueOpened(database.db, issue);

    expect(received.map((m) => m.to)).toEqual([[owner.email]]);
    const [message] = received;
    expect(message.raw).toMatch(/^Subject: Critical: The CRM needs re-authorising \(Over SMTP\)/m);
    const text = plainText(message.raw);
    expect(text).toContain(issue.explanation);
    expect(text).toContain(`Reconnect: ${APP_URL}/w/${workspace.id}/integrations/${connectionId}`);
    // Sent, so nothing was kept in the outbox.
    expect(await listOutbox(database.db, owner.email)).toEqual([]);
  });
});
