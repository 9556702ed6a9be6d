// Microsoft Outlook from the browser: an admin connects it through the sandbox's Microsoft sign-in
// page (the app subscribes to each calendar, answering Graph's validation handshake), sees the
// events sync and browses them, receives a change notification the sandbox sends (clientState
// checked) with the sync it triggered, and books a free slot from Try it. Screenshots (desktop and
// phone, light and dark) land in $TMPDIR/ih-outlook-screens for a person to look at.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const SCREENS = path.join(os.tmpdir(), 'ih-outlook-screens');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

test('connect Outlook, see events sync, receive a change notification, and book a slot from Try it', async ({ page, playwright, baseURL }) => {
  test.setTimeout(150_000);
  await page.setViewportSize(DESKTOP);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Outlook Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await page.request.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: { 'outlook.events': 24 } } });
  await signIn(page);

  // --- The catalog card promises what the provider implements; connecting goes through Microsoft's sign-in page.
  await page.goto(`/w/${workspace.id}/integrations`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Microsoft Outlook' }) });
  await expect(card).toContainText('Events');
  await expect(card).toContainText('Find free slots');
  await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: path.join(SCREENS, '01-catalog-card.png') });
  // Other specs in this run may have connected the same sandbox mailbox in workspaces of their own.
  const activeBefore = activeSubscriptions(await readSubscriptions(page), baseURL!).length;
  await page.getByRole('button', { name: 'Connect Microsoft Outlook (sandbox)' }).click();
  await expect(page.getByRole('button', { name: 'Allow' })).toBeVisible();
  await shot(page, '02-consent');
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Microsoft Outlook' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const connectionId = new URL(page.url()).pathname.split('/')[4];
  await shot(page, '03-connection');

  // The app subscribed to both calendars, and Graph (the sandbox) validated our endpoint first.
  const readout = await readSubscriptions(page);
  expect(activeSubscriptions(readout, baseURL!).length - activeBefore).toBe(2);
  expect(readout.validations.length).toBeGreaterThanOrEqual(4);
  expect(readout.validations.every((v) => v.ok)).toBe(true);

  // --- The events it synced, raw and mapped.
  await page.getByRole('link', { name: 'Browse records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Records' })).toBeVisible();
  await page.getByRole('button', { name: /^Show raw JSON for / }).first().click();
  await expect(page.locator('pre').first()).toContainText('"calendarId"');
  await expect(page.locator('pre').first()).toContainText('"subject"');
  await shot(page, '04-records');

  // --- A change at Outlook: Graph notifies each subscription; one sync follows.
  const sent = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'outlook', mutate: { update: 1 } } });
  const { deliveries } = (await sent.json()) as { deliveries: { status: number }[] };
  expect(deliveries.length).toBeGreaterThan(0);
  expect(deliveries.every((d) => d.status === 200)).toBe(true);
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}/webhooks`);
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Webhook deliveries' });
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: /^Show details of the updated delivery/ }) }).first();
  await expect(row).toContainText('Verified');
  await expect(row).toContainText('Processed', { timeout: 30_000 });
  await expect(row.getByRole('link', { name: 'View run' })).toBeVisible();
  await expect(row).toContainText('Succeeded', { timeout: 30_000 });
  await row.getByRole('button', { name: /^Show details of the updated delivery/ }).click();
  const payload = page.getByLabel('Payload JSON');
  await expect(payload).toContainText('"subscriptionId"');
  // clientState is the secret: never stored or shown.
  await expect(payload).not.toContainText('clientState');
  await shot(page, '05-webhooks');
  // The theme follows the system's on load.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(row).toContainText('Verified');
  await shot(page, '05-webhooks-dark');
  await page.setViewportSize(PHONE);
  await shot(page, '05-webhooks-phone-dark');
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'light' });

  // A notification with the wrong clientState is refused.
  const forged = await page.request.post(`${SANDBOX}/_sandbox/webhooks/deliver`, { data: { provider: 'outlook', secret: 'not-the-client-state' } });
  expect(((await forged.json()) as { deliveries: { status: number }[] }).deliveries.every((d) => d.status === 401)).toBe(true);

  // --- Try it: free slots from getSchedule, then book the first one.
  await page.goto(`/w/${workspace.id}/integrations/${connectionId}`);
  const actions = page.getByRole('region', { name: 'Actions', exact: true });
  await expect(actions).toContainText('Find free slots');
  await expect(actions).toContainText('Book an appointment');
  const tryIt = actions.getByRole('form', { name: 'Try it' });
  await expect(tryIt.getByLabel('Action', { exact: true })).toHaveValue('availability.get');
  await tryIt.getByRole('textbox', { name: 'Duration minutes', exact: true }).fill('30');
  await tryIt.getByRole('button', { name: 'Run availability.get' }).click();
  const answer = tryIt.getByTestId('try-it-answer');
  await expect(answer.getByRole('status')).toContainText('HTTP 200');
  const free = JSON.parse((await answer.getByTestId('try-it-output').textContent())!) as { slots: { start: string; end: string }[] };
  expect(free.slots.length).toBeGreaterThan(0);

  await tryIt.getByLabel('Action', { exact: true }).selectOption('appointments.create');
  await tryIt.getByRole('textbox', { name: 'Start', exact: true }).fill(free.slots[0].start);
  await tryIt.getByRole('textbox', { name: 'Title', exact: true }).fill('Intro call booked in Outlook');
  await tryIt.getByRole('group', { name: 'Attendee' }).getByRole('textbox', { name: 'Email', exact: true }).fill('ada@example.com');
  await tryIt.getByRole('button', { name: 'Run appointments.create' }).click();
  await expect(answer.getByRole('status')).toContainText('HTTP 200');
  const booked = JSON.parse((await answer.getByTestId('try-it-output').textContent())!) as { appointment: { startsAt: string; title: string }; raw: { transactionId: string } };
  expect(booked.appointment.title).toBe('Intro call booked in Outlook');
  expect(Date.parse(booked.appointment.startsAt)).toBe(Date.parse(free.slots[0].start));
  expect(booked.raw.transactionId).toEqual(expect.any(String));
  // The same Idempotency-Key again: the stored answer, not a second event.
  await tryIt.getByRole('button', { name: 'Run appointments.create' }).click();
  await expect(answer.getByRole('status')).toContainText('Replayed');
  await shot(page, '06-try-it-booked');
  // A new key for the same slot: Outlook's calendar now has it, so the slot is taken.
  await tryIt.getByRole('button', { name: 'New key' }).click();
  await tryIt.getByRole('button', { name: 'Run appointments.create' }).click();
  await expect(answer.getByRole('status')).toContainText('slot_unavailable');
  await page.setViewportSize(PHONE);
  await answer.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(SCREENS, '07-try-it-phone.png') });
  await page.setViewportSize(DESKTOP);
});

interface SubscriptionReadout {
  subscriptions: { status: string; notificationUrl: string }[];
  validations: { ok: boolean }[];
}

async function readSubscriptions(page: Page): Promise<SubscriptionReadout> {
  return (await (await page.request.get(`${SANDBOX}/_sandbox/webhooks/outlook-subscriptions`)).json()) as SubscriptionReadout;
}

/** Graph subscriptions (at the sandbox) that notify this app. */
function activeSubscriptions(readout: SubscriptionReadout, baseURL: string) {
  return readout.subscriptions.filter((s) => s.status === 'active' && s.notificationUrl.startsWith(`${baseURL}/api/webhooks/outlook?channel=`));
}
