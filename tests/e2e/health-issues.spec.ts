// Health issues where a connection is managed: the grant is revoked at the sandbox, a sync runs
// into it, and the connection page's Health section shows the issue (severity, explanation, when,
// how often, the fix as a link) while the catalog card shows the connection broken with its open
// issue count. Screenshots at desktop and phone width, light and dark, go to /tmp/h1-*.png.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { connectButton, firstResource, provider } from './providers';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;

async function shoot(page: Page, name: string, part: Locator) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [label, width] of [['desktop', 1280], ['phone', 390]] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `/tmp/h1-${name}-${label}-${scheme}.png`, fullPage: true });
      // The part this spec is about, at full resolution.
      await part.screenshot({ path: `/tmp/h1-${name}-part-${label}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a revoked grant shows as an issue on the connection page and the catalog card', async ({ page, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Issues Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  const knobs = (data: object) => page.request.post(`${SANDBOX}/_sandbox/knobs`, { data });
  await knobs({ dataset: provider.datasets({ [firstResource]: 10 }) });

  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  const sync = page.getByRole('region', { name: 'Sync' });
  await expect(sync).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const connectionPage = page.url();
  const health = page.getByRole('region', { name: 'Health' });
  await expect(health).toContainText('Healthy');
  await expect(health).toContainText('No open issues');

  try {
    await knobs({
      failPage: { provider: provider.id, resource: firstResource, page: 1, status: 401, times: 20 },
      failNextToken: { [provider.id]: 'invalid_grant' },
    });
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(async () => {
      await page.reload();
      await expect(health.getByRole('heading', { name: /needs re-authorising/ })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
  } finally {
    await knobs({ failPage: null, failNextToken: {} });
  }
  await expect(health).toContainText('Broken');
  await expect(health).toContainText('Critical');
  // Every check while it holds counts (the sync's end and the status change each ask for one).
  await expect(health).toContainText(/Seen \d+ times?/);
  await expect(health).toContainText(/First seen/);
  await expect(health.getByRole('link', { name: /^Reconnect/ })).toHaveAttribute('href', new URL(connectionPage).pathname);
  await shoot(page, 'connection', health);

  await page.goto(`/w/${workspace.id}/integrations`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: provider.name }) }).first();
  await expect(card).toContainText('Broken');
  await expect(card).toContainText('1 open issue');
  await shoot(page, 'catalog', card);
  await page.goto(connectionPage);
});
