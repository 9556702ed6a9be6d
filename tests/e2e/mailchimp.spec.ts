// Mailchimp from the browser: an admin finds it in the catalog (Marketing, audience members, a push
// destination), connects it through the sandbox's Mailchimp consent page (the app learns the
// account's data centre and creates a webhook per audience, which Mailchimp validates with a GET the
// app answers), browses the members it synced, and sees an audience event arrive — verified by the
// secret in the webhook's URL, form-encoded — and the sync it triggered, while a delivery with the
// wrong secret is refused. Screenshots (desktop and phone, light and dark) land in
// $TMPDIR/ih-mailchimp-screens for a person to look at.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = path.join(os.tmpdir(), 'ih-mailchimp-screens');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const MEMBERS = 18;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

interface HooksReadout {
  webhooks: { id: string; listId: string; url: string; status: string }[];
  validations: { url: string; ok: boolean }[];
}
const readHooks = async (page: Page) => (await (await page.request.get(`${SANDBOX}/_sandbox/webhooks/mailchimp-webhooks`)).json()) as HooksReadout;
/** Webhooks (at the sandbox) that post to this app. */
const ours = (readout: HooksReadout, baseURL: string) => readout.webhooks.filter((h) => h.status === 'active' && h.url.startsWith(`${baseURL}/api/webhooks/mailchimp?channel=`));

test('connect Mailchimp, browse its members, and receive an audience webhook verified by its URL secret', async ({ page, playwright, baseURL }) => {
  test.setTimeout(150_000);
  await page.setViewportSize(DESKTOP);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Mailchimp Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await page.request.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: { 'mailchimp.members': MEMBERS } } });
  await signIn(page);

  // --- The catalog card says what syncs and where pushes can go.
  await page.goto(`/w/${workspace.id}/integrations`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Mailchimp' }) });
  await expect(card).toContainText('Audience members');
  await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: path.join(SCREENS, '01-catalog-card.png') });

  // Other specs in this run may have connected the same sandbox account in workspaces of their own.
  const before = ours(await readHooks(page), baseURL!).length;
  await page.getByRole('button', { name: 'Connect Mailchimp (sandbox)' }).click();
  await expect(page.getByRole('button', { name: 'Allow' })).toBeVisible();
  await shot(page, '02-consent');
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mailchimp' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const connectionId = new URL(page.url()).pathname.split('/')[4];
  await shot(page, '03-connection');

  // One webhook per audience, each validated by Mailchimp's GET, which the app answered with 200.
  const hooks = await readHooks(page);
  expect(ours(hooks, baseURL!).length - before).toBe(2);
  expect(hooks.validations.filter((v) => v.url.startsWith(`${baseURL}/api/webhooks/mailchimp?`)).every((v) => v.ok)).toBe(true);

  // --- The members it synced, raw and mapped.
  await page.getByRole('link', { name: 'Browse records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
  await page.getByRole('button', { name: /^Show raw JSON for / }).first().click();
  await expect(page.locator('pre').first()).toContainText('"email_address"');
  await expect(page.locator('pre').first()).toContainText('"merge_fields"');
  await shot(page, '04-records');

  // --- A member edited at Mailchimp: a "profile" event to every webhook on the audience; one sync follows.
  const sent = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'mailchimp', type: 'profile', mutate: { update: 1 } } });
  const { deliveries } = (await sent.json()) as { deliveries: { status: number }[] };
  expect(deliveries.length).toBeGreaterThan(0);
  expect(deliveries.every((d) => d.status === 200)).toBe(true);
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}/webhooks`);
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Webhook deliveries' });
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: /^Show details of the profile delivery/ }) }).first();
  await expect(row).toContainText('Verified');
  await expect(row).toContainText('Processed', { timeout: 30_000 });
  await expect(row).toContainText('Succeeded', { timeout: 30_000 });
  await row.getByRole('button', { name: /^Show details of the profile delivery/ }).click();
  const payload = page.getByLabel('Payload JSON');
  await expect(payload).toContainText('data[merges][EMAIL]');
  await shot(page, '05-webhooks');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(row).toContainText('Verified');
  await shot(page, '05-webhooks-dark');
  await page.setViewportSize(PHONE);
  await shot(page, '05-webhooks-phone-dark');
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'light' });

  // A delivery whose URL carries the wrong secret is refused.
  const forged = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'mailchimp', secret: 'not-the-channel-token' } });
  const refused = ((await forged.json()) as { deliveries: { status: number }[] }).deliveries;
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((d) => d.status === 401)).toBe(true);

  // The connection page in dark mode on a phone.
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize(PHONE);
  await expect(page.getByRole('heading', { level: 1, name: 'Mailchimp' })).toBeVisible();
  await shot(page, '06-connection-phone-dark');
});
