// Airtable in the browser, through the provider sandbox, in a workspace of its own: the catalog
// card (Database category, Records, the push capability), connecting through the consent page, the
// initial sync, the records with their raw JSON, and the connection's webhook (one per base) on its
// Webhooks page — with screenshots at desktop and phone widths, light and dark, for a person to
// look at.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support';

const SHOTS = '/tmp/h-airtable';

async function themed(page: Page, theme: 'light' | 'dark') {
  await page.evaluate((value) => localStorage.setItem('ih-theme', value), theme);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

const card = (page: Page) => page.locator('article, li, section').filter({ has: page.getByRole('heading', { name: 'Airtable', exact: true }) }).first();

test('Airtable connects with OAuth, syncs its table records and opens a webhook per base', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: /Switch workspace/ }).click();
  await page.getByRole('menuitem', { name: 'Create workspace' }).click();
  await page.getByLabel('Workspace name').fill('Airtable base camp');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('button', { name: /Switch workspace/ })).toContainText('Airtable base camp');

  await page.getByRole('link', { name: 'Integrations' }).click();
  await expect(card(page)).toContainText('Records');
  await expect(card(page)).toContainText('Database');
  for (const theme of ['light', 'dark'] as const) {
    await themed(page, theme);
    await page.getByRole('heading', { name: 'Airtable', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}-catalog-${theme}.png` });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('heading', { name: 'Airtable', exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}-catalog-phone-dark.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await themed(page, 'light');

  await page.getByRole('button', { name: 'Connect Airtable (sandbox)' }).click();
  await expect(page.getByRole('heading', { name: 'Airtable (sandbox)' })).toBeVisible();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Airtable' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Airtable is connected as' })).toContainText('ada@airtable-sandbox.example');
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  // No tables chosen: every table syncs, which the page says plainly (no warning).
  await expect(page.getByRole('main')).toContainText('None chosen: every table of every base this account can see syncs.');
  await expect(page.getByRole('checkbox', { name: 'Ada CRM › Contacts' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-connection.png`, fullPage: true });
  await themed(page, 'dark');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i);
  await page.screenshot({ path: `${SHOTS}-connection-phone-dark.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await themed(page, 'light');

  await page.getByRole('link', { name: 'Browse records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
  await page.getByRole('button', { name: /^Show raw JSON for / }).first().click();
  await expect(page.locator('pre').first()).toContainText('"fields"');
  await page.screenshot({ path: `${SHOTS}-records.png`, fullPage: true });
  await themed(page, 'dark');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('button', { name: /^Show raw JSON for / }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}-records-phone-dark.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await themed(page, 'light');

  // The webhook the connection created at Airtable for its one base.
  const hooks = (await (await page.request.get(`http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}/_sandbox/webhooks/airtable-webhooks`)).json()) as { notificationUrl: string }[];
  expect(hooks.some((hook) => hook.notificationUrl.includes('/api/webhooks/airtable?channel='))).toBe(true);
});
