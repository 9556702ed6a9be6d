// With SMTP_URL set, an issue's notification mail leaves through nodemailer to a real SMTP server
// (an smtp-server peer on 127.0.0.1), carrying the issue's explanation and an absolute fix link
// built from APP_URL; an unverified member's address receives nothing.
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { listOutbox } from '@/lib/mail/outbox';
import { notifyIssueOpened } from '@/lib/notifications/notify';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

interface Received {
  to: string[];
  raw: string;
}

const APP_URL = 'https://hub.example.test';
const saved = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };
let database: TestDatabase;
let server: SMTPServer;
const received: Received[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  process.env.APP_URL = APP_URL;
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.drop();
});

/** The text/plain part of a message, quoted-printable decoded. */
function plainText(raw: string): string {
  const start = raw.search(/Content-Type: text\/plain/i);
  expect(start, 'a text/plain part').toBeGreaterThanOrEqual(0);
  const part = raw.slice(start);
  const bodyStart = part.indexOf('\r\n\r\n') + 4;
  const bodyEnd = part.indexOf('\r\n--', bodyStart);
  const body = part.slice(bodyStart, bodyEnd === -1 ? undefined : bodyEnd);
  if (!/Content-Transfer-Encoding: quoted-printable/i.test(part.slice(0, bodyStart))) return body;
  return Buffer.from(
    body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

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
