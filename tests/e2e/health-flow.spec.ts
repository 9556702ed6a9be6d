// The cross-cutting flow of issue 14 from the browser: a connection breaks through the sandbox (the
// provider refuses its access token and the refresh: the grant is revoked), a sync runs into it,
// the health rules open an issue; it shows on the overview (broken tile, "needs attention" with the
// fix) and on the bell, its mail is in the Outbox; reconnecting closes it and the overview is
// healthy again.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { connectButton, firstResource, provider } from './providers';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = path.join(os.tmpdir(), 'ih-overview-screens');

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

test('a revoked connection opens an issue on the overview and the bell, mails it, and reconnecting closes it', async ({ page, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Health Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  const knobs = (data: object) => page.request.post(`${SANDBOX}/_sandbox/knobs`, { data });
  await knobs({ dataset: provider.datasets({ [firstResource]: 20 }) });

  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  const panel = page.getByRole('region', { name: 'Sync' });
  await expect(panel).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const connectionPage = page.url().split('?')[0];

  const overview = `/w/${workspace.id}`;
  const attention = page.getByRole('region', { name: 'Needs attention' });
  const tile = page.getByRole('region', { name: 'Health at a glance' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: provider.name, exact: true }) });
  await page.goto(overview);
  await expect(tile).toContainText('Healthy');
  await expect(attention).toContainText('Nothing needs attention');

  // The provider refuses the token and then the refresh: the grant is gone.
  try {
    await knobs({
      failPage: { provider: provider.id, resource: firstResource, page: 1, status: 401, times: 20 },
      failNextToken: { [provider.id]: 'invalid_grant' },
    });
    await page.goto(connectionPage);
    await panel.getByRole('button', { name: 'Sync now' }).click();
    // The overview refreshes every 30 s; reloading asks at once.
    await page.goto(overview);
    await expect(async () => {
      await page.reload();
      await expect(attention.getByRole('link', { name: /^Reconnect/ }).first()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
  } finally {
    await knobs({ failPage: null, failNextToken: {} });
  }
  await expect(tile).toContainText('Broken');
  await expect(attention).toContainText('Critical');
  await expect(page.getByRole('region', { name: 'Health at a glance' })).toContainText('1 critical');
  // The bell says so too.
  await expect(page.getByRole('button', { name: /^Notifications, \d+ unread$/ })).toBeVisible({ timeout: 35_000 });
  await shot(page, 'health-flow-broken');

  // The mail the app would have sent, in the Outbox.
  await page.goto('/outbox');
  const mail = page.getByRole('article').filter({ hasText: 'Health Studio' }).first();
  await expect(mail).toBeVisible();
  await expect(mail).toContainText(/Critical/);
  await shot(page, 'health-flow-outbox');

  // The fix: the needs-attention link goes to the connection, where Reconnect signs in again.
  await page.goto(overview);
  await attention.getByRole('link', { name: /^Reconnect/ }).first().click();
  await expect(page).toHaveURL(connectionPage);
  await page.getByRole('button', { name: 'Reconnect', exact: true }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page).toHaveURL(new RegExp(`^${connectionPage}`));
  // A reconnected connection is due at once, but the scheduler's next tick may be a while: sync now.
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await expect(panel).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });

  await page.goto(overview);
  await expect(async () => {
    await page.reload();
    await expect(attention).toContainText('Nothing needs attention', { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(tile).toContainText('Healthy');
  await shot(page, 'health-flow-healed');
});
