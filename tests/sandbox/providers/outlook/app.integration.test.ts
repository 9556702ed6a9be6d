// Outlook through the app, beyond the contract suite: a delta state Graph no longer has (410
// syncStateNotFound) is replaced by exactly one full resync; a window that has rolled on does the
// same without asking Graph; a throttled page (429 + Retry-After) is retried; and a refresh rotates
// the refresh token once, however many callers need fresh tokens at the same moment.
import { beforeAll, describe, expect, it } from 'vitest';
import { providerClientFor } from '@/lib/connections/provider-access';
import { loadCredentials } from '@/lib/connections/credential-store';
import { asService } from '@/lib/db/rls';
import { syncCursors } from '@/lib/db/schema';
import { requestSync } from '@/lib/sync/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { eq } from 'drizzle-orm';
import { tokenStatus } from '../../server';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { sandboxSuite } from '@/tests/support/sandbox-suite';
import { counts, cursorOf, runRow } from '@/tests/support/sync';

const suite = sandboxSuite();
let runner: SyncRunner;
beforeAll(() => {
  runner = new SyncRunner(suite.database.db, { maxAttempts: 3, sleep: async () => undefined });
});

const SIZE = 150;
const DAY = 24 * 60 * 60 * 1000;

async function connected() {
  suite.sandbox.setKnobs({ dataset: { 'outlook.events': SIZE } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Outlook app')).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'outlook');
  const connection = { workspaceId, connectionId };
  const { runId } = await requestSync(suite.database.db, { ...connection, trigger: 'initial', mode: 'full' });
  expect(await runner.runToEnd(runId)).toBe('succeeded');
  return connection;
}

async function incremental(connection: { workspaceId: string; connectionId: string }) {
  const { runId } = await requestSync(suite.database.db, { ...connection, trigger: 'manual', mode: 'incremental' });
  const outcome = await runner.runToEnd(runId);
  return { outcome, run: await runRow(suite.database.db, runId) };
}

type Cursor = { window: { start: string; end: string }; deltaLinks: Record<string, string> };

describe(`Outlook through the app (${testEngine})`, () => {
  it('replaces an expired delta state (410 syncStateNotFound) with exactly one full resync', async () => {
    const connection = await connected();
    const before = (await cursorOf(suite.database.db, connection.connectionId, 'events')) as Cursor;
    expect(Object.keys(before.deltaLinks)).toHaveLength(2);
    expect(Object.values(before.deltaLinks).every((link) => link.startsWith('https://graph.microsoft.com/v1.0/me/calendars/') && link.includes('$deltatoken='))).toBe(true);

    suite.sandbox.setKnobs({ expireSyncTokens: true });
    const pagesBefore = suite.sandbox.stats().dataRequests['outlook.events'];
    const { outcome, run } = await (async () => {
      const { runId } = await requestSync(suite.database.db, { ...connection, trigger: 'manual', mode: 'incremental' });
      const result = await runner.runToEnd(runId).finally(() => suite.sandbox.setKnobs({ expireSyncTokens: null }));
      return { outcome: result, run: await runRow(suite.database.db, runId) };
    })();
    expect(outcome).toBe('succeeded');
    expect((run.steps as { kind: string }[]).filter((s) => s.kind === 'cursor_expired')).toHaveLength(1);
    expect(counts(run)).toMatchObject({ created: 0, updated: 0, unchanged: SIZE, deleted: 0 });
    // One full listing of both calendars (150 events in pages of 100: two pages for the larger one).
    expect(suite.sandbox.stats().dataRequests['outlook.events'] - pagesBefore).toBe(3);
    expect(await cursorOf(suite.database.db, connection.connectionId, 'events')).not.toEqual(before);
  });

  it('lists a fresh window in full once the stored one has rolled on, without asking Graph for the old delta', async () => {
    const connection = await connected();
    const cursor = (await cursorOf(suite.database.db, connection.connectionId, 'events')) as Cursor;
    // The window was opened 40 days ago: past the 30 days it may drift.
    const aged: Cursor = { ...cursor, window: { start: new Date(Date.parse(cursor.window.start) - 40 * DAY).toISOString(), end: cursor.window.end } };
    await asService(suite.database.db, (tx) =>
      tx.update(syncCursors).set({ cursor: aged }).where(eq(syncCursors.connectionId, connection.connectionId)),
    );
    const { outcome, run } = await incremental(connection);
    expect(outcome).toBe('succeeded');
    expect((run.steps as { kind: string }[]).filter((s) => s.kind === 'cursor_expired')).toHaveLength(1);
    expect(counts(run)).toMatchObject({ unchanged: SIZE, created: 0, deleted: 0 });
    const after = (await cursorOf(suite.database.db, connection.connectionId, 'events')) as Cursor;
    expect(after.window).toEqual(cursor.window);
  });

  it('retries a throttled page after Graph’s Retry-After and loses nothing', async () => {
    const connection = await connected();
    await fetch(`${suite.sandbox.url}/_sandbox/data`, { method: 'POST', body: JSON.stringify({ provider: 'outlook', resource: 'events', create: 3, update: 2 }) });
    suite.sandbox.setKnobs({ rateLimitPage: { provider: 'outlook', resource: 'events', page: 1, retryAfterSeconds: 1, times: 1 } });
    const { outcome, run } = await incremental(connection);
    expect(outcome).toBe('succeeded');
    expect(counts(run)).toMatchObject({ created: 3, updated: 2 });
  });

  it('rotates the refresh token on refresh, once for concurrent callers, and the old one dies', async () => {
    const { connectionId } = await connected();
    const stored = await asService(suite.database.db, (tx) => loadCredentials(tx, connectionId));
    const before = suite.sandbox.stats().tokenRequests.outlook.refresh_token;
    // Three callers whose requests Graph refused with the same access token, at once.
    const rejectedAccessToken = stored!.tokens.accessToken;
    const clients = await Promise.all([1, 2, 3].map(() => providerClientFor(suite.database.db, connectionId, { rejectedAccessToken })));
    expect(suite.sandbox.stats().tokenRequests.outlook.refresh_token - before).toBe(1);
    const fresh = await asService(suite.database.db, (tx) => loadCredentials(tx, connectionId));
    expect(fresh!.tokens.refreshToken).not.toBe(stored!.tokens.refreshToken);
    expect(clients.every((c) => c.tokens.accessToken === fresh!.tokens.accessToken)).toBe(true);
    expect(tokenStatus(suite.sandbox, stored!.tokens.refreshToken!)).toBe('revoked');
    expect(tokenStatus(suite.sandbox, fresh!.tokens.refreshToken!)).toBe('live');
  });
});
