// scopes_missing end to end against the provider sandbox, for every registered OAuth provider whose
// resources declare the scopes their sync needs: the consent withholds one of them (the sandbox's
// withholdScopes knob, as a user unticking an optional scope does), the health check opens one
// issue per enabled resource that needs it, naming the scope and offering to grant it; disabling
// the resource clears it, and reconnecting with the full grant resolves it.
// A provider whose token answer does not say what was granted is judged on what was requested,
// so a narrowed grant cannot be seen there: the test checks it raises no false alarm instead.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { updateConnection } from '@/lib/connections/connections';
import { asService } from '@/lib/db/rls';
import { connections, healthIssues } from '@/lib/db/schema';
import { checkConnectionHealth } from '@/lib/health/check';
import { providers } from '@/lib/providers/registry';
import type { ProviderDefinition } from '@/lib/providers/types';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import type { ProviderId } from '../sandbox/server';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { webhookSuite } from '../support/webhooks';

const suite = webhookSuite();
const db = () => suite.database.db;

interface Case {
  provider: ProviderDefinition;
  /** The withheld scope, and the resources that need it (one issue each). */
  scope: string;
  affected: string[];
}

/** Prefers a scope only one resource needs, so disabling that resource is a fix on its own. */
function caseFor(provider: ProviderDefinition): Case {
  const needs = (scope: string) => provider.resources.filter((r) => r.requiredScopes?.includes(scope)).map((r) => r.id);
  const scopes = [...new Set(provider.resources.flatMap((r) => r.requiredScopes ?? []))];
  const scope = scopes.find((s) => needs(s).length === 1) ?? scopes[0];
  return { provider, scope, affected: needs(scope) };
}

const cases = providers
  .filter((p) => p.auth.kind === 'oauth2' && p.resources.some((r) => r.requiredScopes?.length))
  .map(caseFor);

const issuesOf = (connectionId: string) =>
  asService(db(), (tx) =>
    tx
      .select()
      .from(healthIssues)
      .where(and(eq(healthIssues.connectionId, connectionId), eq(healthIssues.kind, 'scopes_missing')))
      .orderBy(healthIssues.subject, healthIssues.firstSeenAt),
  );
const openIssues = async (connectionId: string) => (await issuesOf(connectionId)).filter((i) => i.status === 'open');
const grantOf = async (connectionId: string) =>
  (await asService(db(), (tx) => tx.select({ scopes: connections.scopes }).from(connections).where(eq(connections.id, connectionId))))[0].scopes;

/** Providers whose token answers reported the narrowed grant. */
const reporting = new Set<string>();

describe(`scopes_missing health issues (${testEngine})`, () => {
  it('has providers declaring required scopes, all within what they request at connect', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const { provider } of cases) {
      const requested = provider.auth.kind === 'oauth2' ? provider.auth.scopes : [];
      for (const resource of provider.resources) {
        expect(requested, `${provider.id}.${resource.id}`).toEqual(expect.arrayContaining(resource.requiredScopes ?? []));
      }
    }
  });

  it.each(cases.map((c) => [c.provider.id, c] as const))('%s: a grant without a needed scope opens scopes_missing; the full grant resolves it', async (id, { scope, affected }) => {
    const providerId = id as ProviderId;
    suite.sandbox.setKnobs({ withholdScopes: { [providerId]: [scope] } });
    const workspaceId = (await createWorkspace(db(), suite.admin, `Scopes ${id}`)).id;
    const { connectionId } = await connectViaSandbox(db(), suite.admin, workspaceId, id);
    const granted = await grantOf(connectionId);
    await checkConnectionHealth(db(), connectionId);

    if (granted.includes(scope)) {
      // The token answer did not report the grant: the requested scopes stand in, and nothing is flagged.
      expect(await issuesOf(connectionId)).toEqual([]);
      return;
    }
    reporting.add(id);
    const page = `/w/${workspaceId}/integrations/${connectionId}`;
    const opened = await openIssues(connectionId);
    expect(opened.map((i) => i.subject)).toEqual([...affected].sort());
    for (const issue of opened) {
      expect(issue).toMatchObject({
        severity: 'warning',
        count: 1,
        fix: { kind: 'grant_scopes', label: 'Reconnect to grant access', href: page },
        details: { resource: issue.subject, missing: [scope], granted },
      });
      expect(issue.explanation).toContain(`Syncing ${issue.subject} needs ${scope}, which the account did not grant`);
    }

    // A second check re-detects the same issues rather than opening new ones.
    await checkConnectionHealth(db(), connectionId);
    expect((await openIssues(connectionId)).map((i) => [i.id, i.count])).toEqual(opened.map((i) => [i.id, 2]));

    const [resource] = affected;
    const all = (await asService(db(), (tx) => tx.select({ resources: connections.resources }).from(connections).where(eq(connections.id, connectionId))))[0].resources;
    if (affected.length === 1 && all.length > 1) {
      // Not syncing the resource is a fix too: its issue resolves, and comes back (as a new one) with it.
      await updateConnection(db(), suite.admin, workspaceId, connectionId, { resources: all.filter((r) => r !== resource) });
      await checkConnectionHealth(db(), connectionId);
      expect(await openIssues(connectionId)).toEqual([]);
      expect((await issuesOf(connectionId)).map((i) => [i.id, i.status])).toEqual([[opened[0].id, 'resolved']]);
      await updateConnection(db(), suite.admin, workspaceId, connectionId, { resources: all });
      await checkConnectionHealth(db(), connectionId);
      const reopened = await openIssues(connectionId);
      expect(reopened.map((i) => i.subject)).toEqual([resource]);
      expect(reopened[0].id).not.toBe(opened[0].id);
    }

    // Reconnecting with everything approved: the grant holds the scope and every issue resolves.
    suite.sandbox.setKnobs({ withholdScopes: null });
    await connectViaSandbox(db(), suite.admin, workspaceId, id, connectionId);
    expect(await grantOf(connectionId)).toContain(scope);
    await checkConnectionHealth(db(), connectionId);
    const after = await issuesOf(connectionId);
    expect(after.length).toBeGreaterThanOrEqual(opened.length);
    expect(after.filter((i) => i.status !== 'resolved')).toEqual([]);
    for (const issue of after) expect(issue.resolvedAt).toBeInstanceOf(Date);
  });

  it('saw the narrowed grant reported by at least two providers (runs after the cases above)', () => {
    // Without providers that report their grant, the cases above would prove nothing.
    expect([...reporting].length, `providers reporting their grant: ${[...reporting].join(', ')}`).toBeGreaterThanOrEqual(2);
  });
});
