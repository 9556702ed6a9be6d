// Changing a connection: pause/resume (logged), schedule, resources, and what a disconnected
// connection refuses.
import { describe, expect, it } from 'vitest';
import { listActivity } from '@/lib/activity/activity';
import { disconnectConnection, updateConnection } from '@/lib/connections/connections';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { testEngine } from '../support/database';
import { exampleProvider } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';

const suite = sandboxSuite();
// A provider with two resources that sync, so one can be chosen.
const provider = exampleProvider({ sync: true, syncResources: 2 });

async function connected() {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Settings')).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider.id);
  const update = (change: Parameters<typeof updateConnection>[4]) =>
    updateConnection(suite.database.db, suite.admin, workspaceId, connectionId, change);
  return { workspaceId, connectionId, update };
}

describe(`connection settings (${testEngine})`, () => {
  it('pauses and resumes, logging each real change once', async () => {
    const { workspaceId, update } = await connected();
    expect((await update({ paused: true })).status).toBe('paused');
    expect((await update({ paused: true })).status).toBe('paused');
    expect((await update({ paused: false })).status).toBe('active');
    const log = await listActivity(suite.database.db, suite.admin, workspaceId, { pageSize: 10 });
    const actions = log.entries.map((e) => e.action).filter((a) => a === 'connection.paused' || a === 'connection.resumed');
    expect(actions).toEqual(['connection.resumed', 'connection.paused']);
  });

  it('changes the schedule and the resources to sync, refusing unknown resources', async () => {
    const { update } = await connected();
    const [, second] = provider.resources;
    expect(await update({ schedule: 'daily', resources: [second] })).toMatchObject({ schedule: 'daily', resources: [second] });
    await expect(update({ resources: ['tickets'] })).rejects.toMatchObject({ status: 400, code: 'validation_failed', message: /Unknown resources.*tickets/ });
    expect((await update({ schedule: 'manual' })).schedule).toBe('manual');
  });

  it('refuses to pause a disconnected connection', async () => {
    const { workspaceId, connectionId, update } = await connected();
    await disconnectConnection(suite.database.db, suite.admin, workspaceId, connectionId);
    await expect(update({ paused: true })).rejects.toMatchObject({ status: 409, code: 'conflict' });
  });
});
