// The newcomer's path: sign in as the demo admin, create a workspace, add a member (who joins by
// accepting the mailed invitation), and see it all in Activity; then the same workspace through a
// viewer's eyes.
import { expect, test } from '@playwright/test';
import { acceptLatestInvitation, signUpVerified } from './mail';
import { DEMO, signIn, snap } from './support';

test('the demo admin signs in, creates a workspace, adds a member and sees it in Activity', async ({ page, playwright, baseURL }) => {
  const colleague = `colleague-${Date.now()}@example.test`;
  const colleagueApi = await playwright.request.newContext({ baseURL });
  await signUpVerified(colleagueApi, colleague, 'colleague password 1');

  await signIn(page);
  await expect(page).toHaveURL(/\/w\/[0-9a-f-]+$/);
  // Signing in lands in the last workspace opened, else the first by name: earlier specs in this
  // run add workspaces of their own, so open the demo one from the switcher.
  await page.getByRole('button', { name: /Switch workspace/ }).click();
  await page.getByRole('menuitemradio', { name: /Demo Workspace/ }).click();
  await expect(page.getByRole('button', { name: /Switch workspace/ })).toContainText('Demo Workspace');
  await snap(page, '01-demo-workspace');

  await page.getByRole('button', { name: /Switch workspace/ }).click();
  await page.getByRole('menuitem', { name: 'Create workspace' }).click();
  await page.getByLabel('Workspace name').fill('Acme Support');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('button', { name: /Switch workspace/ })).toContainText('Acme Support');

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.getByLabel('Email address').fill(colleague);
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('status')).toContainText(`Invited ${colleague} as viewer.`);
  // The colleague accepts the invitation from their mail; then they are a member.
  await acceptLatestInvitation(colleagueApi);
  await colleagueApi.dispose();
  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(colleague) })).toBeVisible();

  await page.getByLabel('Email address').fill('not-yet@example.test');
  await page.getByLabel('Role', { exact: true }).selectOption('member');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('status')).toContainText('Invited not-yet@example.test as member.');

  await page.getByLabel(`Role for ${colleague}`).selectOption('admin');
  await expect(page.getByLabel(`Role for ${colleague}`)).toHaveValue('admin');
  await snap(page, '02-settings');

  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
  const entries = page.getByRole('main').getByRole('listitem');
  await expect(entries.first()).toContainText(`changed ${colleague} from viewer to admin`);
  await expect(page.getByRole('main')).toContainText(`invited ${colleague} as viewer`);
  await expect(page.getByRole('main')).toContainText(`${colleague} joined as viewer`);
  await expect(page.getByRole('main')).toContainText('invited not-yet@example.test as member');
  await expect(page.getByRole('main')).toContainText('created the workspace “Acme Support”');

  await page.getByLabel('Action').selectOption('member.role_changed');
  await expect(entries).toHaveCount(1);
  await expect(page).toHaveURL(/action=member\.role_changed/);
  await snap(page, '03-activity-filtered');

  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await snap(page, '04-activity-dark');
  await page.getByRole('button', { name: 'Toggle theme' }).click();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a viewer sees the workspace read-only', async ({ page, playwright, baseURL }) => {
  const viewer = `reader-${Date.now()}@example.test`;
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspaces } = (await (await api.get('/api/me')).json()) as { workspaces: { id: string; name: string }[] };
  const demo = workspaces.find((w) => w.name === 'Demo Workspace')!;
  expect((await api.post(`/api/workspaces/${demo.id}/members`, { data: { email: viewer, role: 'viewer' } })).status()).toBe(201);
  await api.dispose();

  // page.request shares the page's cookies: the viewer signs up, verifies, accepts, and is signed in.
  await signUpVerified(page.request, viewer, 'reader password 1');
  expect(await acceptLatestInvitation(page.request)).toBe(demo.id);
  await page.goto('/');
  await expect(page).toHaveURL(new RegExp(`/w/${demo.id}$`));

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add member' })).toHaveCount(0);
  await expect(page.getByLabel('Workspace name')).not.toBeEditable();
  // The workspace's Save is gone; the viewer's own notification preferences stay theirs to save.
  await expect(page.getByRole('button', { name: 'Save preferences' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
  await snap(page, '05-settings-as-viewer');
});

test('the shell works on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.getByRole('button', { name: 'Open menu' }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByRole('link', { name: 'Activity' })).toBeVisible();
  await snap(page, '06-mobile-menu');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
});
