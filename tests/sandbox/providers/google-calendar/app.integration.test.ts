// Google Calendar through the app, beyond the shared suites: an expired syncToken (410) is replaced
// by exactly one full resync. (Moved from tests/integration/sync-providers.test.ts; its push
// channels are in webhooks-channels.integration.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { sandboxSuite } from '@/tests/support/sandbox-suite';
import { counts, cursorOf, runRow } from '@/tests/support/sync';

const suite = sandboxSuite();

let runner: SyncRunner;

beforeAll(async () => {
  runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
});

const SIZE = 150;

async function connect(provider: 'google-calendar', resource: 'events') {
  suite.sandbox.setKnobs({ dataset: { [`${provider}.${resource}` as const]: SIZE } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `${provider} ${resource}`)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider);
  return { workspaceId, connectionId };
}

describe(`provider resources (${testEngine})`, () => {
  it('replaces an expired Google syncToken (410) with exactly one full resync', async () => {
    const connection = await connect('google-calendar', 'events');
    const { requestSync } = await import('@/lib/sync/runs');
    const { runId } = await requestSync(suite.database.db, { ...connection, trigger: 'initial', mode: 'full' });
    await runner.runToEnd(runId);
    const tokensBefore = await cursorOf(suite.database.db, connection.connectionId, 'events');
    expect(Object.keys((tokensBefore as { syncTokens: object }).syncTokens)).toHaveLength(3);

    suite.sandbox.setKnobs({ expireSyncTokens: true });
    const pagesBefore = suite.sandbox.stats().dataRequests['google-calendar.events'];
    const run = await (async () => {
      const { runId: id } = await requestSync(suite.database.db, { ...connection, trigger: 'manual', mode: 'incremental' });
      const first = await runner.runToEnd(id).finally(() => suite.sandbox.setKnobs({ expireSyncTokens: null }));
      expect(first).toBe('succeeded');
      return runRow(suite.database.db, id);
    })();
    const steps = run.steps as { kind: string }[];
    expect(steps.filter((s) => s.kind === 'cursor_expired')).toHaveLength(1);
    expect(counts(run)).toMatchObject({ created: 0, updated: 0, unchanged: SIZE, deleted: 0 });
    // One full listing: one page for each of the three calendars (the refused 410 is not a page served).
    expect(suite.sandbox.stats().dataRequests['google-calendar.events'] - pagesBefore).toBe(3);
    expect(await cursorOf(suite.database.db, connection.connectionId, 'events')).not.toEqual(tokensBefore);
  });
});
