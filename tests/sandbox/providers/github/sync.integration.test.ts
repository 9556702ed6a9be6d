// GitHub syncs against the sandbox: only the chosen repositories' issues and commits are listed;
// incremental listings send the stored ETag, so a repository with no change answers 304 and costs
// no primary rate limit (the sandbox's x-ratelimit-used does not move); a secondary rate limit
// (403 with Retry-After) is waited out for exactly as long as GitHub asked, and the run succeeds.
import { describe, expect, it } from 'vitest';
import { chooseSelection, getSelection } from '@/lib/connections/selection';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { issueAccessToken } from '../../server';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, cursorOf, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();

async function connected(name: string) {
  suite.sandbox.setKnobs({ dataset: { 'github.repositories': 4, 'github.issues': 24, 'github.commits': 12 } });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, name)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'github');
  return { workspaceId, connectionId };
}

/** Requests the sandbox's primary limit has counted so far (a probe of GET /user spends one). */
async function rateUsed(): Promise<number> {
  const token = issueAccessToken(suite.sandbox, { provider: 'github' });
  const response = await fetch(`${suite.sandbox.url}/api.github.com/user`, { headers: { authorization: `Bearer ${token}` } });
  return Number(response.headers.get('x-ratelimit-used'));
}

describe(`GitHub sync (${testEngine})`, () => {
  it('lists nothing but repositories until repositories are chosen, then only the chosen ones', async () => {
    const connection = await connected('GitHub choice');
    const runner = new SyncRunner(suite.database.db, { sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    expect(await storedRecords(suite.database.db, connection.connectionId, 'repositories')).toHaveLength(4);
    expect(await storedRecords(suite.database.db, connection.connectionId, 'issues')).toHaveLength(0);

    const { options, chosen } = await getSelection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId);
    expect(chosen).toEqual([]);
    expect(options.map((o) => o.id)).toEqual(['ada-lovelace/api-1', 'ada-lovelace/docs-2', 'ada-lovelace/mobile-3', 'ada-lovelace/website-0']);
    await chooseSelection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId, { chosen: ['ada-lovelace/website-0'] });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental' })).outcome).toBe('succeeded');
    const issues = await storedRecords(suite.database.db, connection.connectionId, 'issues');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((row) => (row.raw as { repository_url: string }).repository_url.endsWith('/repos/ada-lovelace/website-0'))).toBe(true);
    expect(issues.every((row) => (row.mapped as { repository: string }).repository === 'ada-lovelace/website-0')).toBe(true);

    // Choosing a repository the account cannot see is refused.
    await expect(chooseSelection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId, { chosen: ['someone-else/private'] })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('an incremental listing with nothing changed answers 304 for every repository and spends no rate limit', async () => {
    const connection = await connected('GitHub ETags');
    const repos = ['ada-lovelace/website-0', 'ada-lovelace/api-1', 'ada-lovelace/docs-2', 'ada-lovelace/mobile-3'];
    await chooseSelection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId, { chosen: repos });
    const runner = new SyncRunner(suite.database.db, { sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    // The first incremental listing learns each repository's ETag for its ?since= URL.
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource: 'issues' })).outcome).toBe('succeeded');
    const cursor = (await cursorOf(suite.database.db, connection.connectionId, 'issues')) as { repos: Record<string, { since: string; etag: string | null }> };
    expect(Object.keys(cursor.repos).sort()).toEqual([...repos].sort());
    expect(Object.values(cursor.repos).every((entry) => entry.etag !== null)).toBe(true);

    const pagesBefore = suite.sandbox.stats().dataRequests['github.issues'];
    const usedBefore = await rateUsed();
    const quiet = await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource: 'issues' });
    expect(counts(quiet.run)).toMatchObject({ fetched: 0, created: 0, updated: 0 });
    expect(suite.sandbox.stats().dataRequests['github.issues'] - pagesBefore).toBe(repos.length);
    // Only the probe itself was counted: every listing answered 304.
    expect((await rateUsed()) - usedBefore).toBe(1);

    // One new issue: its repository answers 200 with it, the others still 304.
    const created = await fetch(`${suite.sandbox.url}/_sandbox/data`, { method: 'POST', body: JSON.stringify({ provider: 'github', resource: 'issues', create: 1 }) });
    expect(created.status).toBe(200);
    const usedBeforeChange = await rateUsed();
    const changed = await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource: 'issues' });
    expect(counts(changed.run)).toMatchObject({ created: 1, updated: 0 });
    expect((await rateUsed()) - usedBeforeChange).toBe(2);
  });

  it('waits out a secondary rate limit for as long as Retry-After says, then finishes', async () => {
    const connection = await connected('GitHub secondary limit');
    await chooseSelection(suite.database.db, suite.admin, connection.workspaceId, connection.connectionId, { chosen: ['ada-lovelace/website-0'] });
    const delays: number[] = [];
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 3, sleep: async (ms: number) => void delays.push(ms) });
    suite.sandbox.setKnobs({ rateLimitPage: { provider: 'github', resource: 'issues', page: 1, retryAfterSeconds: 7 } });
    const { outcome, run } = await syncToEnd(suite.database.db, runner, connection, { mode: 'full', resource: 'issues', trigger: 'initial' });
    expect(outcome, run.error ?? undefined).toBe('succeeded');
    expect(delays).toContain(7000);
    expect(await storedRecords(suite.database.db, connection.connectionId, 'issues')).not.toHaveLength(0);
  });
});
