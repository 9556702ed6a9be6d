// Calendly and Acuity Scheduling in the browser, through the provider sandbox: the catalog cards
// (Acuity offers OAuth and an API key), connecting Calendly with OAuth and Acuity with its API key,
// the initial syncs, the records and the webhook subscriptions the connections opened — with
// screenshots at desktop and phone widths, light and dark, for a person to look at.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support';

const SHOTS = '/tmp/h7';

async function themed(page: Page, theme: 'light' | 'dark') {
  await page.evaluate((value) => localStorage.setItem('ih-theme', value), theme);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

function card(page: Page, name: string) {
  return page.locator('article, li, section').filter({ has: page.getByRole('heading', { name, exact: true }) }).first();
}

test('Calendly connects with OAuth and Acuity with an API key; both sync and subscribe to webhooks', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Integrations' }).click();
  const calendly = card(page, 'Calendly');
  const acuity = card(page, 'Acuity Scheduling');
  await expect(calendly).toContainText('Scheduled events');
  await expect(acuity).toContainText('Appointments');
  // Acuity: OAuth, and the API-key alternative beside it.
  await expect(page.getByRole('button', { name: 'Connect Acuity Scheduling (sandbox)' })).toBeVisible();
  await expect(acuity.getByRole('button', { name: 'Use an API key' })).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    await themed(page, theme);
    await page.getByRole('heading', { name: 'Calendly', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}-catalog-${theme}.png` });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('heading', { name: 'Acuity Scheduling', exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}-catalog-phone-dark.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await themed(page, 'light');

  // Calendly through the sandbox's consent page.
  await page.getByRole('button', { name: 'Connect Calendly (sandbox)' }).click();
  await expect(page.getByRole('heading', { name: 'Calendly (sandbox)' })).toBeVisible();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Calendly' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Calendly is connected as' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}-calendly-connection.png`, fullPage: true });

  // Acuity with its user id and API key.
  await page.getByRole('link', { name: 'Integrations' }).click();
  await card(page, 'Acuity Scheduling').getByRole('button', { name: 'Use an API key' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: 'Connect Acuity Scheduling' })).toBeVisible();
  await dialog.getByLabel('User ID').fill('10001');
  await dialog.getByLabel('API key').fill('not-the-right-key-000');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Acuity Scheduling did not accept these credentials');
  await dialog.getByLabel('API key').fill('sandbox-acuity-key-0000000010001');
  await page.screenshot({ path: `${SHOTS}-acuity-dialog.png` });
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acuity Scheduling' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Bloom Studio');
  // An API-key connection, though Acuity also connects with OAuth.
  await expect(page.getByRole('main')).toContainText('None (connected with an API key)');
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}-acuity-connection.png`, fullPage: true });
  await themed(page, 'dark');
  await page.screenshot({ path: `${SHOTS}-acuity-connection-dark.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}-acuity-connection-phone-dark.png`, fullPage: true });
});
