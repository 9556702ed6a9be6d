// The overview from the browser: a new workspace lands on it with a call to connect its first
// integration; after connecting a sandbox provider, a sync and a webhook delivery, the tiles, the
// runs chart (day and week), the delivery numbers and the records table show what happened. Light
// and dark, desktop and phone, with axe finding nothing serious.
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { connectButton, firstResource, firstResourceLabel, provider, secondResource } from './providers';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = path.join(os.tmpdir(), 'ih-overview-screens');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 800 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('a new workspace lands on the overview, connects a tool, and sees its health, runs, deliveries and records', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Overview Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await page.request.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: provider.datasets({ [firstResource]: 42, [secondResource]: 3 }) } });

  await signIn(page);
  // The sidebar's first entry is the overview, and the workspace's own address opens it.
  await page.goto(`/w/${workspace.id}`);
  const nav = page.getByRole('navigation', { name: 'Workspace' });
  await expect(nav.getByRole('link').first()).toHaveText('Overview');
  await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Nothing is connected yet' })).toBeVisible();
  await shot(page, 'overview-empty');

  await page.getByRole('link', { name: 'Connect your first integration' }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspace.id}/integrations$`));
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });

  // A signed delivery from the provider (the sandbox): it is processed and its sync runs.
  const sent = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, {
    data: { provider: provider.id, url: `${baseURL}${provider.webhookPath}`, mutate: { update: 1 } },
  });
  expect(sent.status()).toBe(200);

  await nav.getByRole('link', { name: 'Overview' }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspace.id}$`));
  const health = page.getByRole('region', { name: 'Health at a glance' });
  const tile = health.getByRole('listitem').filter({ has: page.getByRole('link', { name: provider.name, exact: true }) });
  await expect(tile).toContainText('Healthy');
  await expect(tile).toContainText('45 records');
  await expect(health.getByRole('definition').first()).toHaveText('1');

  await expect(page.getByRole('region', { name: 'Needs attention' })).toContainText('Nothing needs attention');

  const runs = page.getByRole('region', { name: 'Sync runs' });
  await expect(runs.getByRole('img', { name: 'Sync runs per hour over the last 24 hours, by outcome' })).toBeVisible();
  await expect(runs).toContainText(/[1-9]\d* runs?: [1-9]\d* succeeded/);
  await runs.getByRole('button', { name: 'Last 7 days' }).click();
  await expect(runs.getByRole('button', { name: 'Last 7 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(runs.getByRole('img', { name: 'Sync runs per day over the last 7 days, by outcome' })).toBeVisible();

  // The delivery shows within the next refresh of the page (every 30 s); reload rather than wait.
  const webhooks = page.getByRole('region', { name: 'Webhook deliveries' });
  await expect(async () => {
    await page.reload();
    await expect(webhooks.getByRole('definition').first()).toHaveText('1', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Actions' }).getByRole('link', { name: 'Action log' })).toHaveAttribute('href', `/w/${workspace.id}/actions`);

  const records = page.getByRole('region', { name: 'Records per resource' }).getByRole('table');
  const row = records.getByRole('row').filter({ has: page.getByRole('link', { name: firstResourceLabel }) });
  await expect(row).toContainText('42');

  // Looks: desktop and phone, light and dark; and nothing serious for axe in any of them.
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((value) => localStorage.setItem('ih-theme', value), theme);
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.reload();
      await expect(page.locator('html')).toHaveClass(theme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b).*$/);
      await expect(page.getByRole('img', { name: /Sync runs per hour/ })).toBeVisible();
      await shot(page, `overview-${name}-${theme}`);
      expect(await seriousViolations(page), `${name} ${theme}`).toEqual([]);
    }
  }
  await page.evaluate(() => localStorage.removeItem('ih-theme'));
});
