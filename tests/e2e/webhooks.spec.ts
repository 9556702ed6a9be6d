// Webhooks from the browser: the sandbox plays a provider with app-signed webhooks (HubSpot, with
// the full registry: tests/e2e/providers.ts) posting a signed delivery to the running app; the delivery appears on the Webhooks page with the sync run it triggered, its payload
// opens, and an admin replays it. Then a connection's own endpoint gets a signing secret.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { connectButton, firstResource, provider, secondResource } from './providers';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = path.join(os.tmpdir(), 'ih-webhooks-screens');

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

test('a sandbox webhook appears with its run, its payload opens, and an admin replays it', async ({ page, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Webhook Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await page.request.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: provider.datasets({ [firstResource]: 30, [secondResource]: 5 }) } });

  await signIn(page);
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const connectionId = new URL(page.url()).pathname.split('/')[4];

  // The provider (the sandbox) changes a record and posts the signed event to this app.
  const sent = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, {
    data: { provider: provider.id, url: `${baseURL}${provider.webhookPath}`, mutate: { update: 1 } },
  });
  const { deliveries, body: delivered } = (await sent.json()) as { deliveries: { status: number; body: { received: number } }[]; body: unknown };
  expect(deliveries).toEqual([{ status: 200, body: expect.objectContaining({ ok: true, received: 1 }) }]);
  // What the app makes of it (HubSpot: contact.propertyChange), read by the provider's own parser.
  const [event] = provider.definition.webhooks!.parse({ body: delivered, headers: new Headers() });
  const detailsOf = `^Show details of the ${event.eventType.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  const detailsButton = new RegExp(`${detailsOf} delivery`);

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Webhook deliveries' });
  // The delivery's own row (its open details row below it quotes the payload too).
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: detailsButton }) });
  await expect(row).toHaveCount(1);
  // Stored and acknowledged at once; processed once the deliveries pause; the sync it queued runs.
  await expect(row).toContainText('Processed', { timeout: 20_000 });
  await expect(row.getByRole('link', { name: 'View run' })).toBeVisible();
  await expect(row).toContainText('Succeeded', { timeout: 30_000 });
  await expect(row).toContainText('Verified');
  await shot(page, '40-webhooks');

  await row.getByRole('button', { name: detailsButton }).click();
  const payload = page.getByLabel('Payload JSON');
  await expect(payload).toContainText(`"${event.eventType}"`);
  await expect(payload).toContainText(provider.accounts[0].id);
  await expect(page.getByLabel('Request headers')).toContainText(`${provider.signatureHeader}: [redacted]`);
  await shot(page, '41-webhook-payload');

  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Replayed' })).toBeVisible();
  await expect(row).toContainText('Replayed ×1');
  await expect(row).toContainText('Processed', { timeout: 20_000 });
  await shot(page, '42-webhook-replayed');

  // The run it triggered opens from the delivery.
  await row.getByRole('link', { name: 'View run' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync run' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Webhook');

  // The connection's own page: setup, and a Standard Webhooks signing secret shown once.
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}/webhooks`);
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Webhook deliveries' }).getByRole('button', { name: new RegExp(detailsOf) })).toHaveCount(1);
  await page.getByRole('button', { name: 'Create signing secret' }).click();
  await expect(page.getByLabel('New signing secret')).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await expect(page.getByRole('button', { name: 'Rotate signing secret' })).toBeVisible();
  await shot(page, '43-connection-webhooks');

  // Filtering by status narrows the list.
  await page.getByLabel('Status').selectOption('rejected');
  await expect(page.getByRole('heading', { name: 'No deliveries match' })).toBeVisible();

  // On a phone the table folds to time, status and details, and still opens the payload.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/w/${workspace.id}/webhooks`);
  const details = page.getByRole('button', { name: detailsButton });
  await expect(details).toBeVisible();
  await details.click();
  await expect(page.getByLabel('Payload JSON')).toBeVisible();
  await shot(page, '44-webhooks-phone');
});
