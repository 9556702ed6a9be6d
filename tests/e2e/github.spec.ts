// GitHub from the browser: an admin connects it through the sandbox's GitHub sign-in page, is told
// that nothing but the repository list syncs until repositories are chosen, chooses one (the app
// creates its webhook and syncs), sees its issues in Records, opens an issue from Try it on the
// connection page and finds it in Records at once (written through). Screenshots (desktop and
// phone, light and dark) land in $TMPDIR/ih-github-screens for a person to look at.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = path.join(os.tmpdir(), 'ih-github-screens');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const REPO = 'ada-lovelace/website-0';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

test('connect GitHub, choose a repository, see its issues sync, and open an issue from Try it', async ({ page, playwright, baseURL }) => {
  test.setTimeout(150_000);
  await page.setViewportSize(DESKTOP);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'GitHub Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await page.request.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: { 'github.repositories': 3, 'github.issues': 12, 'github.commits': 6 } } });
  await signIn(page);

  // --- The catalog card says what GitHub syncs and does; connecting goes through GitHub's sign-in page.
  await page.goto(`/w/${workspace.id}/integrations`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'GitHub' }) });
  await expect(card).toContainText('Issues and pull requests');
  await expect(card).toContainText('Create an issue');
  await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: path.join(SCREENS, '01-catalog-card.png') });
  await page.getByRole('button', { name: 'Connect GitHub (sandbox)' }).click();
  await expect(page.getByRole('button', { name: 'Allow' })).toBeVisible();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'GitHub' })).toBeVisible();
  const connectionId = new URL(page.url()).pathname.split('/')[4];

  // --- Nothing chosen yet: the page says so. Choose one repository and save.
  const chooser = page.getByRole('region', { name: 'Chosen repositories' });
  await expect(chooser).toContainText('No repositories chosen yet');
  await expect(chooser.getByRole('checkbox')).toHaveCount(3);
  await chooser.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(SCREENS, '02-choose-repositories.png') });
  await chooser.getByRole('checkbox', { name: new RegExp(REPO) }).check();
  await expect(chooser).toContainText('1 of at most 100 chosen');
  await chooser.getByRole('button', { name: 'Save repositories' }).click();
  await expect(chooser.getByRole('status')).toContainText('Saved');
  await expect(chooser).not.toContainText('No repositories chosen yet');
  await page.screenshot({ path: path.join(SCREENS, '03-chosen.png') });

  // The app created a webhook on that repository (and no other).
  const hooks = (await (await page.request.get(`${SANDBOX}/_sandbox/webhooks/github-hooks`)).json()) as { repo: string; url: string; deleted: boolean }[];
  const ours = hooks.filter((h) => !h.deleted && h.url.includes('/api/webhooks/github?channel='));
  expect(ours.map((h) => h.repo)).toContain(REPO);

  // --- The chosen repository's issues arrive in Records.
  const records = `/w/${workspace.id}/integrations/${connectionId}/records?resource=issues`;
  await expect(async () => {
    await page.goto(records);
    await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Show raw JSON for / }).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await page.getByRole('button', { name: /^Show raw JSON for / }).first().click();
  await expect(page.locator('pre').first()).toContainText(`"repository_url": "https://api.github.com/repos/${REPO}"`);
  await shot(page, '04-records');

  // --- Try it: open an issue in the chosen repository.
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}`);
  const actions = page.getByRole('region', { name: 'Actions', exact: true });
  await expect(actions).toContainText('Create an issue');
  const tryIt = actions.getByRole('form', { name: 'Try it' });
  await tryIt.getByLabel('Action', { exact: true }).selectOption('issues.create');
  await tryIt.getByRole('textbox', { name: 'Repository', exact: true }).fill(REPO);
  await tryIt.getByRole('textbox', { name: 'Title', exact: true }).fill('Checkout button is grey on Safari');
  await tryIt.getByRole('button', { name: 'Run issues.create' }).click();
  const answer = tryIt.getByTestId('try-it-answer');
  await expect(answer.getByRole('status')).toContainText('HTTP 200');
  const created = JSON.parse((await answer.getByTestId('try-it-output').textContent())!) as { issue: { title: string; repository: string; kind: string; number: number } };
  expect(created.issue).toMatchObject({ title: 'Checkout button is grey on Safari', repository: REPO, kind: 'issue' });
  await shot(page, '05-try-it-created');

  // --- Written through: Records has it already, most recently seen first.
  await page.goto(records);
  await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
  await page.getByRole('button', { name: /^Show raw JSON for / }).first().click();
  await expect(page.locator('pre').first()).toContainText('"title": "Checkout button is grey on Safari"');
  await shot(page, '06-records-created');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}`);
  await expect(page.getByRole('region', { name: 'Chosen repositories' })).toContainText('1 of at most 100 chosen');
  await shot(page, '07-connection-dark');
  await page.setViewportSize(PHONE);
  await shot(page, '08-connection-phone-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, '09-connection-phone');
});
