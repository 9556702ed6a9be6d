// GitHub repository webhooks over a connection's life, through the real HTTP endpoint: one hook per
// chosen repository (created when chosen, deleted when unchosen and on disconnect), each with its
// own secret stored only encrypted; deliveries signed by GitHub's own library verified over the raw
// body (the same JSON re-serialized is refused), deduplicated by X-GitHub-Delivery, `ping` stored
// and doing nothing, and an issues event applied to the records at once.
import { describe, expect, it } from 'vitest';
import { disconnectConnection } from '@/lib/connections/connections';
import { chooseSelection } from '@/lib/connections/selection';
import { channelWithToken } from '@/lib/webhooks/channels';
import { processAllDue } from '@/lib/webhooks/process';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { storedRecords } from '@/tests/support/sync';
import { backdateDeliveries, channelSuite, deliverFromSandbox, runInitialSync, webhookChannelsOf, webhookEventsOf } from '@/tests/support/webhooks';

const suite = channelSuite();

interface SandboxHook {
  id: number;
  repo: string;
  url: string;
  events: string[];
  deleted: boolean;
  hasSecret: boolean;
}
const hooks = async (): Promise<SandboxHook[]> => (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/github-hooks`)).json();
const deliver = async (request: Record<string, unknown>) => (await deliverFromSandbox(suite, { provider: 'github', ...request })).deliveries;

describe(`GitHub repository webhooks (${testEngine})`, () => {
  it('follow the chosen repositories, verify the raw body, dedupe redeliveries, ignore pings, and go on disconnect', async () => {
    suite.sandbox.setKnobs({ dataset: { 'github.repositories': 3, 'github.issues': 9, 'github.commits': 3 } });
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'GitHub hooks')).id;
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'github');
    // Nothing chosen yet: no hooks.
    expect(await webhookChannelsOf(suite, connectionId)).toHaveLength(0);

    await chooseSelection(suite.database.db, suite.admin, workspaceId, connectionId, { chosen: ['ada-lovelace/website-0', 'ada-lovelace/api-1'] });
    const channels = await webhookChannelsOf(suite, connectionId);
    expect(channels.map((c) => c.target).sort()).toEqual(['ada-lovelace/api-1', 'ada-lovelace/website-0']);
    const open = (await hooks()).filter((h) => !h.deleted);
    expect(open.map((h) => h.repo).sort()).toEqual(['ada-lovelace/api-1', 'ada-lovelace/website-0']);
    const website = channels.find((c) => c.target === 'ada-lovelace/website-0')!;
    const hook = open.find((h) => h.repo === 'ada-lovelace/website-0')!;
    expect(hook).toMatchObject({ hasSecret: true, events: ['issues', 'issue_comment', 'pull_request', 'push'] });
    expect(hook.url).toBe(`${suite.server.url}/api/webhooks/github?channel=${website.id}`);
    expect(website.resourceId).toBe(`ada-lovelace/website-0/${hook.id}`);
    const { token } = (await channelWithToken(suite.database.db, website.id))!;
    expect(website.tokenEnvelope).not.toContain(token);

    await runInitialSync(suite, { workspaceId, connectionId });

    // ping: 200, stored, nothing to do.
    expect((await deliver({ event: 'ping', repository: 'ada-lovelace/website-0' })).map((a) => a.status)).toEqual([200]);
    const ping = (await webhookEventsOf(suite, connectionId)).find((e) => e.eventType === 'ping')!;
    expect(ping).toMatchObject({ verification: 'verified', scheme: 'github-signature', change: 'none' });

    // A new issue at GitHub, delivered and redelivered with the same X-GitHub-Delivery: stored once.
    const answers = await deliver({ repository: 'ada-lovelace/website-0', mutate: { create: 1 }, redeliver: true });
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[1].body).toMatchObject({ duplicates: 1 });
    const opened = (await webhookEventsOf(suite, connectionId)).filter((e) => e.eventType === 'issues.opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ verification: 'verified', change: 'upsert', resource: 'issues' });
    await backdateDeliveries(suite, connectionId, 5000);
    await processAllDue(suite.database.db, { connectionId });
    const externalId = (opened[0].payload as { payload: { issue: { id: number } } }).payload.issue.id;
    expect((await storedRecords(suite.database.db, connectionId, 'issues')).some((row) => row.externalId === String(externalId))).toBe(true);

    // Forged, tampered, and the same JSON re-serialized: refused.
    expect((await deliver({ repository: 'ada-lovelace/website-0', secret: 'not-our-secret' })).map((a) => a.status)).toEqual([401]);
    expect((await deliver({ repository: 'ada-lovelace/website-0', tamper: 'body' })).map((a) => a.status)).toEqual([401]);
    const raw = '{"zen":"Keep it logically awesome.",  "hook_id": 1}';
    const { sign } = await import('@octokit/webhooks-methods');
    const signature = await sign(token, raw);
    const post = (body: string) =>
      fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': signature }, body });
    expect((await post(JSON.stringify(JSON.parse(raw)))).status).toBe(401);
    expect((await post(raw)).status).toBe(200);

    // Narrowing the choice deletes the dropped repository's hook; disconnecting deletes the rest.
    await chooseSelection(suite.database.db, suite.admin, workspaceId, connectionId, { chosen: ['ada-lovelace/website-0'] });
    expect((await hooks()).filter((h) => !h.deleted).map((h) => h.repo)).toEqual(['ada-lovelace/website-0']);
    expect((await webhookChannelsOf(suite, connectionId)).filter((c) => c.status === 'active').map((c) => c.target)).toEqual(['ada-lovelace/website-0']);
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect((await webhookChannelsOf(suite, connectionId)).every((c) => c.status === 'stopped')).toBe(true);
    expect((await hooks()).every((h) => h.deleted)).toBe(true);
  });
});
