// Telegram from the browser: an admin connects a bot with its token (checked with getMe before it
// is saved; the app sets the bot's webhook with its own secret token), the sandbox sends an update
// as Telegram would, and it shows on the connection's Webhooks page (verified, processed) and in
// Records as a message mapped onto Message. Uses the sandbox's second bot and a workspace of its
// own: specs share one app and one sandbox. Screenshots (desktop and phone, light and dark) land in
// /tmp/h-chat-*.png for a person to look at.
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const BOT = { id: '7100000002', token: '7100000002:AAHsandbox-globex-hub-bot-token-00002', label: '@globex_hub_bot' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/h-chat-${name}.png`, fullPage: true });

test('connect a Telegram bot with its token, receive an update, and see it in Webhooks and Records', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(DESKTOP);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Telegram Desk' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await signIn(page);

  // --- The catalog card says what Telegram does and how its messages arrive.
  await page.goto(`/w/${workspace.id}/integrations`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Telegram' }) });
  await expect(card).toContainText('Messages');
  await expect(card).toContainText('Send a message');
  await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: '/tmp/h-chat-01-catalog-card.png' });

  // --- A wrong token is refused by getMe before anything is saved; the right one connects.
  await card.getByRole('button', { name: 'Connect Telegram (sandbox)' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Bot token').fill('7100000002:AAHnot-the-right-token-000000000000000');
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Telegram did not accept these credentials');
  await shot(page, '02-connect-error');
  await dialog.getByLabel('Bot token').fill(BOT.token);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Telegram' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(BOT.label);
  const connectionId = new URL(page.url()).pathname.split('/')[4];
  await shot(page, '03-connection');

  // The bot's webhook points at this app, with a secret token.
  const hooks = (await (await page.request.get(`${SANDBOX}/_sandbox/webhooks/telegram-webhooks`)).json()) as { bot: string; url: string; hasSecretToken: boolean }[];
  const hook = hooks.find((h) => h.bot === BOT.id);
  expect(hook?.url).toContain('/api/webhooks/telegram?channel=');
  expect(hook?.hasSecretToken).toBe(true);

  // --- Someone writes in the bot's group: Telegram posts the update with the secret token.
  const text = `Standup at 10 <b>sharp</b> & coffee ${Date.now()}`;
  const sent = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'telegram', account: BOT.id, chat: 'group', text } });
  const { deliveries } = (await sent.json()) as { deliveries: { status: number }[] };
  expect(deliveries.map((d) => d.status)).toEqual([200]);
  // One with the wrong token is refused.
  const forged = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'telegram', account: BOT.id, secret: 'not-the-secret-token' } });
  expect(((await forged.json()) as { deliveries: { status: number }[] }).deliveries.map((d) => d.status)).toEqual([401]);

  await page.goto(`/w/${workspace.id}/integrations/${connectionId}/webhooks`);
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Webhook deliveries' });
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: /^Show details of the message delivery/ }) }).first();
  await expect(row).toContainText('Verified');
  await expect(row).toContainText('Processed', { timeout: 30_000 });
  await row.getByRole('button', { name: /^Show details of the message delivery/ }).click();
  await expect(page.getByLabel('Payload JSON')).toContainText('update_id');
  await shot(page, '04-webhooks');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(row).toContainText('Verified');
  await shot(page, '04-webhooks-dark');
  await page.setViewportSize(PHONE);
  await shot(page, '04-webhooks-phone-dark');
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'light' });

  // --- The message is a record, raw and mapped onto Message.
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}/records`);
  await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Messages');
  await page.getByLabel('Resource').selectOption('messages');
  await expect(page.getByRole('main')).toContainText('1 record');
  await page.getByRole('button', { name: /^Show raw JSON for / }).first().click();
  await expect(page.locator('pre').first()).toContainText('"message_id"');
  await expect(page.getByRole('main')).toContainText(text);
  await shot(page, '05-records');
  await page.setViewportSize(PHONE);
  await shot(page, '05-records-phone');
  await page.setViewportSize(DESKTOP);

  // --- Disconnecting deletes the bot's webhook at Telegram.
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}`);
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByRole('main').getByText('Disconnected', { exact: true }).first()).toBeVisible();
  const after = (await (await page.request.get(`${SANDBOX}/_sandbox/webhooks/telegram-webhooks`)).json()) as { bot: string }[];
  expect(after.filter((h) => h.bot === BOT.id)).toEqual([]);
});
