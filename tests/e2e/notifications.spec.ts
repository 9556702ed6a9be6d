// Notifications from the browser: a connection breaks through the sandbox (the provider stops
// accepting its token and the refresh is refused), the health rules open an issue, the bell shows
// the unread count, reading one clears it, the mail is readable in the Outbox, and the
// member's own preferences save. Screenshots (light/dark, desktop/phone) land in /tmp/h2-*.png.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { connectButton, firstResource, provider } from './providers';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = process.env.NOTIFICATION_SCREENS ?? '/tmp';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENS}/h2-${name}.png` });
}

/** axe-core on part of the page: no serious or critical violations. */
async function accessible(page: Page, selector: string) {
  const results = await new AxeBuilder({ page }).include(selector).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('a broken connection rings the bell, the notification reads, the mail is in the Outbox, preferences save', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Bell Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  const knobs = (data: object) => page.request.post(`${SANDBOX}/_sandbox/knobs`, { data });
  await knobs({ dataset: provider.datasets({ [firstResource]: 30 }) });

  await page.setViewportSize(DESKTOP);
  await signIn(page);
  await page.goto(`/w/${workspace.id}/integrations`);
  const bell = page.getByRole('button', { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName('Notifications');
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  const panel = page.getByRole('region', { name: 'Sync' });
  await expect(panel).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });

  // The provider now refuses the access token, and the refresh is refused too: the grant is dead.
  try {
    await knobs({
      failPage: { provider: provider.id, resource: firstResource, page: 1, status: 401, times: 20 },
      failNextToken: { [provider.id]: 'invalid_grant' },
    });
    await panel.getByRole('button', { name: 'Sync now' }).click();
    // The bell polls every 30 s; reloading asks at once.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
  } finally {
    await knobs({ failPage: null, failNextToken: {} });
  }
  await expect(page.getByTestId('notification-count').first()).toHaveText('1');
  await shot(page, 'bell-desktop-light');

  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  const menu = page.getByRole('menu');
  const item = menu.getByRole('menuitem', { name: /needs re-authorising/ });
  await expect(item).toBeVisible();
  await expect(item).toContainText('Critical');
  await shot(page, 'menu-desktop-light');
  // The theme follows the system's until someone picks one; it is applied when the page loads.
  for (const scheme of ['dark', 'light'] as const) {
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await expect(item).toBeVisible();
    await accessible(page, '[role="menu"]');
    if (scheme === 'dark') await shot(page, 'menu-desktop-dark');
  }

  // Reading it goes to the fix (the connection's page) and clears the count.
  await item.click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspace.id}/integrations/[0-9a-f-]{36}$`));
  await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('notification-count')).toHaveCount(0);

  // The mail, once, readable in the Outbox, with its absolute fix link.
  const outbox = (await (await page.request.get('/api/me/outbox')).json()) as { mails: { kind: string; subject: string; links: string[] }[] };
  const mails = outbox.mails.filter((m) => m.kind === 'issue_opened' && m.subject.includes('Bell Studio'));
  expect(mails).toHaveLength(1);
  expect(mails[0].subject).toMatch(/^Critical: .* needs re-authorising \(Bell Studio\)$/);
  // Links point at this server (no APP_URL here: its own port on localhost).
  expect(mails[0].links[0]).toMatch(new RegExp(`^http://localhost:${new URL(baseURL!).port}/w/${workspace.id}/integrations/[0-9a-f-]{36}$`));
  await page.goto('/outbox');
  const mail = page.getByRole('article', { name: mails[0].subject });
  await expect(mail).toContainText('Nothing syncs until someone reconnects it.');
  await mail.scrollIntoViewIfNeeded();
  await shot(page, 'outbox-desktop-light');

  // Preferences: the member's own, saved and still there after a reload.
  await page.goto(`/w/${workspace.id}/settings#notifications`);
  const section = page.getByRole('region', { name: 'Your notifications' });
  await expect(section.getByLabel('Notify me about')).toHaveValue('warning');
  await expect(section.getByLabel('Email')).toHaveValue('immediately');
  await section.getByLabel('Notify me about').selectOption('critical');
  await section.getByLabel('Email').selectOption('daily_digest');
  await section.getByRole('button', { name: 'Save preferences' }).click();
  await expect(section.getByRole('status')).toHaveText('Notification preferences saved.');
  await section.scrollIntoViewIfNeeded();
  await accessible(page, '#notifications');
  await shot(page, 'preferences-desktop-light');
  await page.reload();
  await expect(section.getByLabel('Notify me about')).toHaveValue('critical');
  await expect(section.getByLabel('Email')).toHaveValue('daily_digest');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await section.scrollIntoViewIfNeeded();
  await accessible(page, '#notifications');
  await shot(page, 'preferences-desktop-dark');

  // Phone: the bell sits in the top bar; its menu fits the screen.
  await page.setViewportSize(PHONE);
  await page.goto(`/w/${workspace.id}/integrations`);
  const phoneBell = page.getByRole('banner').getByRole('button', { name: 'Notifications', exact: true });
  await expect(phoneBell).toBeVisible();
  await phoneBell.click();
  await expect(page.getByRole('menu').getByRole('menuitem', { name: /needs re-authorising/ })).toBeVisible();
  await shot(page, 'menu-phone-dark');
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`/w/${workspace.id}/settings#notifications`);
  await expect(section.getByLabel('Email')).toHaveValue('daily_digest');
  await section.scrollIntoViewIfNeeded();
  await shot(page, 'preferences-phone-light');
});
