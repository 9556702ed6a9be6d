// Salesforce through the app, beyond the shared suites: its tokens carry no expiry, so the app
// refreshes when an API call answers 401. (Moved from tests/integration/token-refresh.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '@/lib/connections/connections';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '@/tests/support/connect';
import { testEngine } from '@/tests/support/database';
import { sandboxSuite } from '@/tests/support/sandbox-suite';

const suite = sandboxSuite();

let workspaceId: string;

beforeAll(async () => {
  workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Refresh')).id;
});

describe(`token refresh (${testEngine})`, () => {
  it('refreshes on a 401 for Salesforce, which gives no expiry', async () => {
    suite.sandbox.knobs.accessTokenTtlSeconds = 1;
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'salesforce');
    suite.sandbox.knobs.accessTokenTtlSeconds = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const result = await testConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    expect(result.ok).toBe(true);
    expect(suite.sandbox.stats().tokenRequests.salesforce.refresh_token).toBe(1);
  });
});
