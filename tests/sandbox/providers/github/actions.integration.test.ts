// GitHub actions through runAction (the path /api/v1, MCP and Try it share) on a connection made
// through the sandbox's OAuth: create an issue (written through to the records, so the next sync
// finds it unchanged; exactly once when GitHub's answer was lost and the request retried), comment
// on an issue or a pull request, and list open issues or pull requests live.
import { describe, expect, it } from 'vitest';
import { githubActions } from '@/lib/providers/github/actions';
import { SyncRunner } from '@/lib/sync/runner';
import { actionRunner, connectForActions, type ActionConnection } from '../../../support/actions';
import { connectAccount } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const { run, ok, problem } = actionRunner(suite);
const REPO = 'ada-lovelace/website-0';

async function connect(): Promise<ActionConnection> {
  suite.sandbox.setKnobs({ dataset: { 'github.repositories': 2, 'github.issues': 12, 'github.commits': 2 } });
  return connectForActions(suite, 'GitHub actions', (workspaceId) => connectAccount(suite.database.db, suite.admin, workspaceId, 'github'));
}

describe(`GitHub actions (${testEngine})`, () => {
  it('declares creating issues, commenting and listing', () => {
    expect(Object.keys(githubActions).sort()).toEqual(['issues.comment', 'issues.create', 'issues.list']);
  });

  it('issues.create opens the issue and writes it through; the next sync finds it unchanged', async () => {
    const connection = await connect();
    const runner = new SyncRunner(suite.database.db, { sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    const output = await ok(connection, 'issues.create', { repository: REPO, title: 'Checkout button is grey', body: 'Seen on Safari.', labels: ['bug'] }, 'create-1');
    expect(output.issue).toMatchObject({ kind: 'issue', title: 'Checkout button is grey', state: 'open', repository: REPO, labels: ['bug'], body: 'Seen on Safari.' });
    expect(output.resource).toBe('issues');
    const stored = await storedRecords(suite.database.db, connection.connectionId, 'issues');
    const row = stored.find((r) => r.externalId === output.issue.externalId);
    expect(row?.mapped).toMatchObject({ title: 'Checkout button is grey', kind: 'issue' });
    const next = await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource: 'issues' });
    expect(counts(next.run)).toMatchObject({ created: 0, updated: 0 });

    // A repository the token cannot see.
    await problem(connection, 'issues.create', { repository: 'someone-else/secret', title: 'x' }, 'create-2', 'not_found');
  });

  it('issues.create creates exactly one issue when the answer was lost and the request retried', async () => {
    const connection = await connect();
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { github: 1 } });
    const input = { repository: REPO, title: 'Only once, please' };
    // GitHub created the issue, then the answer never arrived.
    expect((await run(connection, 'issues.create', input, 'lost-1')).ok).toBe(false);
    const retried = await ok(connection, 'issues.create', input, 'lost-1');
    const listed = await ok(connection, 'issues.list', { repository: REPO, limit: 100 });
    expect(listed.issues.filter((i: { issue: { title: string } }) => i.issue.title === 'Only once, please')).toHaveLength(1);
    expect(retried.issue.title).toBe('Only once, please');
  });

  it('issues.comment comments on an issue and on a pull request', async () => {
    const connection = await connect();
    const created = await ok(connection, 'issues.create', { repository: REPO, title: 'Needs a comment' }, 'c-1');
    const comment = await ok(connection, 'issues.comment', { repository: REPO, number: created.issue.number, body: 'On it.' }, 'c-2');
    expect(comment.comment).toMatchObject({ body: 'On it.', author: 'ada-lovelace' });
    expect(comment.comment.url).toContain(`/issues/${created.issue.number}#issuecomment-`);
    const pulls = await ok(connection, 'issues.list', { repository: REPO, kind: 'pull_request', state: 'all' });
    expect(pulls.issues.length).toBeGreaterThan(0);
    const pr = pulls.issues[0].issue;
    expect(pr.kind).toBe('pull_request');
    const onPull = await ok(connection, 'issues.comment', { repository: REPO, number: pr.number, body: 'LGTM' }, 'c-3');
    expect(onPull.comment.body).toBe('LGTM');
    await problem(connection, 'issues.comment', { repository: REPO, number: 99_999, body: 'Nobody home' }, 'c-4', 'not_found');
  });

  it('issues.list reads open issues without pull requests, or pull requests alone', async () => {
    const connection = await connect();
    await ok(connection, 'issues.create', { repository: REPO, title: 'Listed live' }, 'l-1');
    const issues = await ok(connection, 'issues.list', { repository: REPO });
    expect(issues.issues.length).toBeGreaterThan(0);
    expect(issues.issues.every((i: { issue: { kind: string; state: string } }) => i.issue.kind === 'issue' && i.issue.state === 'open')).toBe(true);
    expect(issues.issues.some((i: { issue: { title: string } }) => i.issue.title === 'Listed live')).toBe(true);
    const pulls = await ok(connection, 'issues.list', { repository: REPO, kind: 'pull_request', state: 'all' });
    expect(pulls.issues.every((i: { issue: { kind: string; repository: string } }) => i.issue.kind === 'pull_request' && i.issue.repository === REPO)).toBe(true);
  });
});
