// Gmail from the browser: an admin connects it through the sandbox's Google consent page (the app
// calls users.watch), sees the messages sync and browses them raw and mapped, then a mailbox change
// arrives as a Pub/Sub push with a Google-signed OIDC token and triggers one sync; a push with the
// wrong audience is refused; Try it sends an email. Screenshots (desktop and phone, light and dark) land in
// $TMPDIR/ih-gmail-screens for a person to look at.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = path.join(os.tmpdir(), 'ih-gmail-screens');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

test('connect Gmail, see messages sync, receive a verified Pub/Sub push, and send from Try it', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(DESKTOP);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Gmail Office' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await page.request.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: { 'gmail.messages': 12 } } });
  await signIn(page);

  // --- The catalog card; connecting goes through Google's consent page.
  await page.goto(`/w/${workspace.id}/integrations`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Gmail' }) });
  await expect(card).toContainText('Messages');
  await expect(card).toContainText('Send a message');
  await expect(card).toContainText('Create a draft');
  await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: path.join(SCREENS, '01-catalog-card.png') });
  const watchesBefore = (await readWatches(page)).watchCalls;
  await page.getByRole('button', { name: 'Connect Gmail (sandbox)' }).click();
  await expect(page.getByRole('button', { name: 'Allow' })).toBeVisible();
  await shot(page, '02-consent');
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Gmail' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const connectionId = new URL(page.url()).pathname.split('/')[4];
  await shot(page, '03-connection');
  expect((await readWatches(page)).watchCalls).toBeGreaterThan(watchesBefore);

  // --- The messages it synced: metadata and snippet, no body.
  await page.getByRole('link', { name: 'Browse records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
  await page.getByRole('button', { name: /^Show raw JSON for / }).first().click();
  await expect(page.locator('pre').first()).toContainText('"snippet"');
  await expect(page.locator('pre').first()).toContainText('"threadId"');
  await shot(page, '04-records');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.getByRole('button', { name: /^Show raw JSON for / }).first()).toBeVisible();
  await shot(page, '04-records-dark');
  await page.setViewportSize(PHONE);
  await shot(page, '04-records-phone-dark');
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'light' });

  // --- A new message at Gmail: Pub/Sub pushes with a Google-signed token; one sync follows.
  const url = `${baseURL}/api/webhooks/gmail`;
  const sent = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'gmail', url, mutate: { create: 1 } } });
  const { deliveries } = (await sent.json()) as { deliveries: { status: number }[] };
  expect(deliveries.map((d) => d.status)).toEqual([200]);
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}/webhooks`);
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Webhook deliveries' });
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: /^Show details of the mailbox\.changed delivery/ }) }).first();
  await expect(row).toContainText('Verified');
  await expect(row).toContainText('Processed', { timeout: 30_000 });
  await expect(row).toContainText('Succeeded', { timeout: 30_000 });
  await shot(page, '05-webhooks');
  await page.setViewportSize(PHONE);
  await shot(page, '05-webhooks-phone');
  await page.setViewportSize(DESKTOP);

  // --- Try it: send an email; Gmail (the sandbox) receives the MIME and the sent message is written through.
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}`);
  const tryIt = page.getByRole('region', { name: 'Actions', exact: true }).getByRole('form', { name: 'Try it' });
  await expect(tryIt.getByLabel('Action', { exact: true })).toHaveValue('messages.send');
  await tryIt.getByRole('textbox', { name: 'To', exact: true }).fill('grace@example.com');
  await tryIt.getByRole('textbox', { name: 'Subject', exact: true }).fill('Sent from Try it');
  await tryIt.getByRole('textbox', { name: 'Text', exact: true }).fill('Hello from the hub.');
  await tryIt.getByRole('button', { name: 'Run messages.send' }).click();
  const answer = tryIt.getByTestId('try-it-answer');
  await expect(answer.getByRole('status')).toContainText('HTTP 200');
  const sentMessage = JSON.parse((await answer.getByTestId('try-it-output').textContent())!) as { message: { subject: string; labels: string[] } };
  expect(sentMessage.message).toMatchObject({ subject: 'Sent from Try it', labels: ['SENT'] });
  await shot(page, '06-try-it-sent');

  // A push whose token names another audience is refused.
  const forged = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'gmail', url, audience: 'https://elsewhere.example/push' } });
  expect(((await forged.json()) as { deliveries: { status: number }[] }).deliveries.map((d) => d.status)).toEqual([401]);
});

async function readWatches(page: Page): Promise<{ watchCalls: number }> {
  return (await (await page.request.get(`${SANDBOX}/_sandbox/webhooks/gmail-watches`)).json()) as { watchCalls: number };
}
