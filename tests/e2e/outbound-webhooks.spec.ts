// Outbound webhooks from the browser: an admin adds an endpoint pointing at a receiver started in
// this spec, sees its signing secret once, sends a test event, and sees it delivered in the log;
// the receiver verifies the delivery with the Standard Webhooks library.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { DEMO, signIn } from './support';

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/h3-${name}.png`, fullPage: true });

test('add an endpoint, see its secret once, send a test event and see it delivered', async ({ page, playwright, baseURL }) => {
  const received: { body: string; headers: Record<string, string> }[] = [];
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/hub`;

  try {
    const api = await playwright.request.newContext({ baseURL });
    await api.post('/api/auth/sign-in', { data: DEMO });
    const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Outbound Studio' } })).json()) as { workspace: { id: string } };
    await api.dispose();

    await signIn(page);
    await page.goto(`/w/${workspace.id}/webhooks`);
    await page.getByRole('navigation', { name: 'Webhook direction' }).getByRole('link', { name: 'Outgoing' }).click();
    await expect(page.getByRole('heading', { name: 'Outgoing endpoints', exact: true })).toBeVisible();
    await expect(page.getByText('No outgoing endpoints yet')).toBeVisible();

    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('Description').fill('Receptionist agent');
    await page.getByRole('checkbox', { name: /records\.changed/ }).check();
    await shot(page, 'form');
    await page.getByRole('button', { name: 'Add endpoint' }).click();

    const secretText = page.getByLabel('Endpoint signing secret');
    await expect(secretText).toHaveText(/^whsec_/);
    const secret = (await secretText.textContent())!.trim();
    await shot(page, 'secret');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.getByLabel('Endpoint signing secret')).toHaveCount(0);

    const card = page.getByRole('article', { name: 'Receptionist agent' });
    await expect(card).toContainText(url);
    await expect(card).toContainText('Enabled');
    await card.getByRole('button', { name: 'Send test event' }).click();
    await expect(card.getByRole('status')).toContainText('Test event queued');
    const log = card.getByRole('table', { name: 'Deliveries to this endpoint' });
    await expect(log).toContainText('webhook.test');
    await expect(log).toContainText('Delivered', { timeout: 20_000 });
    await expect(log).toContainText('HTTP 200');

    expect(received).toHaveLength(1);
    const payload = new Webhook(secret).verify(received[0].body, received[0].headers) as { type: string; workspaceId: string };
    expect(payload).toMatchObject({ type: 'webhook.test', workspaceId: workspace.id });

    // The secret is shown only once: a reload shows the endpoint without it.
    await page.reload();
    await expect(page.getByRole('article', { name: 'Receptionist agent' })).toBeVisible();
    await expect(page.getByText(secret)).toHaveCount(0);
    await shot(page, 'log');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('article', { name: 'Receptionist agent' }).getByRole('button', { name: 'Show deliveries' }).click();
    await shot(page, 'phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => document.documentElement.classList.add('dark'));
    await shot(page, 'phone-dark');
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, 'dark');
  } finally {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
});
