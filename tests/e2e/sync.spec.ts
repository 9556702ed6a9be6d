// A sync from the browser: Sync now, the progress bar moving, the run in Sync history, a record.
import { expect, test } from '@playwright/test';
import { connectButton, firstResource, provider, rawFieldsKey, secondResource } from './providers';
import { DEMO, signIn, snap } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;

test('an admin runs a sync, watches it progress, opens the run and a record', async ({ page, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Sync Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  const knobs = (data: object) => page.request.post(`${SANDBOX}/_sandbox/knobs`, { data });
  await knobs({ dataset: provider.datasets({ [firstResource]: 900, [secondResource]: 40 }) });

  await signIn(page);
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  const panel = page.getByRole('region', { name: 'Sync' });
  // The initial full sync starts on its own after connecting; wait for it to finish.
  await expect(panel).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });

  // Slow the provider down so the progress can be watched, then sync again.
  await knobs({ responseDelayMs: 250 });
  try {
    await panel.getByLabel('Mode').selectOption('full');
    await panel.getByRole('button', { name: 'Sync now' }).click();
    const progress = panel.getByRole('progressbar', { name: 'Sync progress' });
    await expect(progress).toBeVisible();
    await expect(progress).toHaveAttribute('aria-valuetext', /[2-9] pages|\d\d pages/, { timeout: 15_000 });
    const earlier = await progress.getAttribute('aria-valuetext');
    await expect(progress).not.toHaveAttribute('aria-valuetext', earlier!, { timeout: 10_000 });
    await snap(page, '20-sync-progress');
  } finally {
    await knobs({ responseDelayMs: null });
  }
  await expect(panel).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });

  await panel.getByRole('link', { name: 'Sync history' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync history' })).toBeVisible();
  const runs = page.getByRole('table', { name: 'Sync runs' });
  await expect(runs.getByRole('row')).toHaveCount(3);
  await snap(page, '21-sync-history');
  await runs.getByRole('row').nth(1).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync run' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('940');
  await snap(page, '22-sync-run');

  await page.goBack();
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('region', { name: 'Connected' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Connected' }) })).getByRole('link', { name: provider.name, exact: true }).click();
  await page.getByRole('link', { name: 'Browse records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
  const showRaw = page.getByRole('button', { name: /^Show raw JSON for / }).first();
  await showRaw.click();
  if (rawFieldsKey) await expect(page.locator('pre').first()).toContainText(`"${rawFieldsKey}"`);
  await snap(page, '23-record-raw');
});
