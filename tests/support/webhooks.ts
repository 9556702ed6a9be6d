// The shared setup of webhook tests: the sandbox suite plus the app's webhook handler on a local
// HTTP server and a sync runner, and the helpers every webhook test needs.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { asService } from '@/lib/db/rls';
import { webhookChannels, webhookEvents } from '@/lib/db/schema';
import { requestSync } from '@/lib/sync/runs';
import { SyncRunner } from '@/lib/sync/runner';
import { serveWebhooks, type WebhookServer } from '@/lib/webhooks/node-server';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from './connect';
import { sandboxSuite, type SandboxSuite } from './sandbox-suite';

export interface WebhookSuite extends SandboxSuite {
  server: WebhookServer;
  runner: SyncRunner;
}

export function webhookSuite(): WebhookSuite {
  const suite = sandboxSuite() as WebhookSuite;
  beforeAll(async () => {
    suite.server = await serveWebhooks(suite.database.db);
  });
  afterAll(() => suite.server?.close());
  beforeEach(() => {
    suite.runner = new SyncRunner(suite.database.db, { sleep: async () => undefined });
  });
  return suite;
}

/**
 * The webhook suite for tests of a provider's channels or subscriptions: PUBLIC_APP_URL points at
 * the suite's server, because that is where the app tells the provider to post.
 */
export function channelSuite(): WebhookSuite {
  const suite = webhookSuite();
  beforeAll(() => {
    process.env.PUBLIC_APP_URL = suite.server.url;
  });
  afterAll(() => {
    delete process.env.PUBLIC_APP_URL;
  });
  return suite;
}

export interface DeliveryAnswer {
  status: number;
  body: { ok?: boolean; received?: number; duplicates?: number; error?: string };
}

/** Has the sandbox sign a delivery as the provider would and post it to the app. */
export async function deliverFromSandbox(
  suite: WebhookSuite,
  request: Record<string, unknown>,
): Promise<{ deliveries: DeliveryAnswer[]; mutation?: { created: string[]; updated: string[]; deleted: string[] } }> {
  const response = await fetch(`${suite.sandbox.url}/_sandbox/webhooks/deliver`, { method: 'POST', body: JSON.stringify(request) });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

/** A fresh workspace with a connection whose initial full sync has run. */
export async function connectedAndSynced(suite: WebhookSuite, provider: string, dataset: Record<string, number>) {
  suite.sandbox.setKnobs({ dataset });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `Webhooks ${provider}`)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider);
  await runInitialSync(suite, { workspaceId, connectionId });
  return { workspaceId, connectionId };
}

/** Runs the connection's initial full sync to its end (it must succeed); returns the run's id. */
export async function runInitialSync(suite: WebhookSuite, connection: { workspaceId: string; connectionId: string }): Promise<string> {
  // Tests run no job runner: the initial sync requested on connect is still queued.
  const { runId } = await requestSync(suite.database.db, { workspaceId: connection.workspaceId, connectionId: connection.connectionId, trigger: 'initial', mode: 'full' });
  expect(await suite.runner.runToEnd(runId)).toBe('succeeded');
  return runId;
}

export const webhookEventsOf = (suite: WebhookSuite, connectionId: string) =>
  asService(suite.database.db, (tx) => tx.select().from(webhookEvents).where(eq(webhookEvents.connectionId, connectionId)));

export const webhookChannelsOf = (suite: WebhookSuite, connectionId: string) =>
  asService(suite.database.db, (tx) => tx.select().from(webhookChannels).where(eq(webhookChannels.connectionId, connectionId)));

/** Makes every stored delivery of the connection `agoMs` old and due now, so processing does not wait for a pause. */
export const backdateDeliveries = (suite: WebhookSuite, connectionId: string, agoMs: number) =>
  asService(suite.database.db, (tx) =>
    tx.update(webhookEvents).set({ receivedAt: new Date(Date.now() - agoMs), nextAttemptAt: null }).where(eq(webhookEvents.connectionId, connectionId)),
  );

/** As if the connection's deliveries had paused a while ago: the debounce before a sync is over. */
export const afterDeliveriesPause = (suite: WebhookSuite, connectionId: string) =>
  asService(suite.database.db, (tx) =>
    tx.execute(sql`
      update public.webhook_events
      set received_at = received_at - interval '5 seconds', next_attempt_at = case when status = 'received' then null else next_attempt_at end
      where connection_id = ${connectionId}::uuid`),
  );
