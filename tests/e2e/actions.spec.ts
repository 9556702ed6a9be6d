// Actions from the browser: an admin creates an API key (its secret shown once), connects Google
// Calendar through the sandbox, finds free slots and books the first one from Try it (then runs
// the booking again with the same Idempotency-Key and gets the stored answer replayed), sees the
// calls in the Actions log with their details, reads the API reference, and revokes the key.
// Screenshots at desktop and phone widths land in $TMPDIR/ih-actions-screens for a person to check.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { acceptLatestInvitation, signUpVerified } from './mail';
import { DEMO, signIn } from './support';

const SCREENS = path.join(os.tmpdir(), 'ih-actions-screens');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });
}

/** At phone width: the whole page, or the viewport with `focus` scrolled to its top. */
async function phoneShot(page: Page, name: string, focus?: Locator) {
  await page.setViewportSize(PHONE);
  if (focus) {
    await focus.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    // Let the resized, scrolled page paint before the shot.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENS, `${name}-phone.png`) });
  } else {
    await shot(page, `${name}-phone`);
  }
  await page.setViewportSize(DESKTOP);
}

test('an admin creates an API key, runs availability.get and appointments.create from Try it, and sees both in the Actions log', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize(DESKTOP);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Try-it Studio' } })).json()) as { workspace: { id: string } };
  await api.dispose();
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Workspace' });

  // --- API key: created with scopes, its secret shown once.
  await page.goto(`/w/${workspace.id}/settings`);
  await page.getByRole('link', { name: 'Manage API keys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Booking agent');
  await page.getByRole('checkbox', { name: /actions:write/ }).check();
  await expect(page.getByRole('checkbox', { name: /actions:read/ })).toBeChecked();
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('API key “Booking agent” created');
  const secret = (await dialog.getByTestId('api-key-secret').textContent())!.trim();
  expect(secret).toMatch(/^ihk_[A-Za-z0-9_-]{43}$/);
  await shot(page, '01-api-key-secret');
  await dialog.getByRole('button', { name: 'I have copied the key' }).click();
  await expect(dialog).toBeHidden();
  const keys = page.getByRole('table', { name: 'API keys' });
  await expect(keys.getByRole('row', { name: /Booking agent/ })).toContainText(secret.slice(0, 12));
  await expect(keys).toContainText('actions:write');
  await expect(keys).toContainText('Never');
  expect(await page.content()).not.toContain(secret);
  await page.reload();
  await expect(keys.getByRole('row', { name: /Booking agent/ })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  await shot(page, '02-api-keys');
  await phoneShot(page, '02-api-keys');

  // The key works on the public API.
  const withKey = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  expect((await withKey.get('/api/v1/connections')).status()).toBe(200);

  // --- Google Calendar through the sandbox; its actions on the catalog card and the connection page.
  await nav.getByRole('link', { name: 'Integrations' }).click();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Google Calendar' }) });
  await expect(card).toContainText('Actions: Find free slots, Book an appointment');
  await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: path.join(SCREENS, '03-catalog-card.png') });
  await page.getByRole('button', { name: 'Connect Google Calendar (sandbox)' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Google Calendar' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const actions = page.getByRole('region', { name: 'Actions', exact: true });
  await expect(actions).toContainText('Find free slots');
  await expect(actions).toContainText('Book an appointment');

  // --- Try it: availability.get with the prefilled window.
  const tryIt = actions.getByRole('form', { name: 'Try it' });
  await expect(tryIt.getByLabel('Action', { exact: true })).toHaveValue('availability.get');
  await expect(tryIt.getByRole('textbox', { name: 'Start', exact: true })).toHaveValue(/^\d{4}-\d\d-\d\dT09:00:00Z$/);
  await expect(tryIt.getByRole('textbox', { name: 'Time zone', exact: true })).not.toHaveValue('');
  await tryIt.getByRole('textbox', { name: 'Duration minutes', exact: true }).fill('30');
  await tryIt.getByRole('button', { name: 'Run availability.get' }).click();
  const answer = tryIt.getByTestId('try-it-answer');
  await expect(answer.getByRole('status')).toContainText('HTTP 200');
  const free = JSON.parse((await answer.getByTestId('try-it-output').textContent())!) as { slots: { start: string; end: string }[] };
  expect(free.slots.length).toBeGreaterThan(0);
  await shot(page, '03-try-it-availability');

  // --- appointments.create on the first free slot; then the same key again is replayed.
  await tryIt.getByLabel('Action', { exact: true }).selectOption('appointments.create');
  await expect(tryIt.getByLabel('Idempotency-Key')).toHaveValue(/^[0-9a-f-]{36}$/);
  await tryIt.getByRole('textbox', { name: 'Start', exact: true }).fill(free.slots[0].start);
  await tryIt.getByRole('textbox', { name: 'Title', exact: true }).fill('Intro call from Try it');
  await tryIt.getByRole('group', { name: 'Attendee' }).getByRole('textbox', { name: 'Email', exact: true }).fill('ada@example.com');
  await tryIt.getByRole('button', { name: 'Run appointments.create' }).click();
  await expect(answer.getByRole('status')).toContainText('HTTP 200');
  await expect(answer.getByRole('status')).not.toContainText('Replayed');
  const booked = JSON.parse((await answer.getByTestId('try-it-output').textContent())!) as { appointment: { startsAt: string; title: string } };
  expect(booked.appointment.title).toBe('Intro call from Try it');
  expect(Date.parse(booked.appointment.startsAt)).toBe(Date.parse(free.slots[0].start));
  await tryIt.getByRole('button', { name: 'Run appointments.create' }).click();
  await expect(answer.getByRole('status')).toContainText('Replayed');
  await shot(page, '04-try-it-booked');
  await phoneShot(page, '04-try-it-form', tryIt);
  await phoneShot(page, '04-try-it-answer', answer);

  // A validation failure points at its field.
  await tryIt.getByRole('textbox', { name: 'Time zone', exact: true }).fill('Mars/Olympus');
  await tryIt.getByRole('button', { name: 'New key' }).click();
  await tryIt.getByRole('button', { name: 'Run appointments.create' }).click();
  await expect(answer.getByRole('status')).toContainText('validation_failed');
  const zone = tryIt.getByRole('textbox', { name: 'Time zone', exact: true });
  await expect(zone).toHaveAttribute('aria-invalid', 'true');
  await expect(zone).toHaveAccessibleDescription(/expected an IANA time zone/);

  // --- The Actions log: all four calls, filterable, with their details.
  await nav.getByRole('link', { name: 'Actions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Actions' })).toBeVisible();
  const log = page.getByRole('table', { name: 'Action calls, newest first' });
  await expect(log.getByTestId('action-log-row')).toHaveCount(4);
  await expect(log.getByTestId('action-log-row').filter({ hasText: 'availability.get' })).toHaveCount(1);
  await expect(log.getByTestId('action-log-row').filter({ hasText: 'appointments.create' })).toHaveCount(3);
  await expect(log.getByTestId('action-log-row').filter({ hasText: 'replayed' })).toHaveCount(1);
  await log.getByRole('button', { name: /^Show details of availability\.get/ }).click();
  await expect(log).toContainText('Provider requests');
  await expect(log).toContainText(DEMO.email);
  await expect(log.getByLabel('Output JSON')).toContainText('"slots"');
  await shot(page, '05-actions-log');

  await page.getByLabel('Status', { exact: true }).selectOption('failed');
  await expect(log.getByTestId('action-log-row')).toHaveCount(1);
  await expect(log.getByTestId('action-log-row')).toContainText('validation_failed');
  await page.getByLabel('Status', { exact: true }).selectOption('');
  await page.getByLabel('Action', { exact: true }).selectOption('availability.get');
  await expect(log.getByTestId('action-log-row')).toHaveCount(1);
  await phoneShot(page, '05-actions-log');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(log.getByTestId('action-log-row')).toHaveCount(1);
  await shot(page, '05-actions-log-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The key reads the same log through the public API.
  const viaApi = (await (await withKey.get('/api/v1/actions?action=appointments.create')).json()) as { data: { replayed: boolean }[] };
  expect(viaApi.data.map((entry) => entry.replayed).sort()).toEqual([false, false, true]);

  // --- The API reference, rendered from the OpenAPI document.
  await nav.getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
  for (const summary of ['Find free slots', 'Book an appointment', 'Look up contacts', 'List connections']) {
    await expect(page.getByRole('heading', { level: 3, name: summary })).toBeVisible();
  }
  await expect(page.getByRole('article', { name: 'Book an appointment' })).toContainText('Idempotency-Key required');
  await expect(page.getByRole('heading', { level: 2, name: 'MCP endpoint' })).toBeVisible();
  await shot(page, '06-api-reference');
  await phoneShot(page, '06-api-reference', page.getByRole('article', { name: 'Book an appointment' }));

  // --- Revoking the key refuses it at once.
  await page.goto(`/w/${workspace.id}/settings/api-keys`);
  await expect(keys.getByRole('row', { name: /Booking agent/ })).not.toContainText('Never');
  await page.getByRole('button', { name: 'Revoke Booking agent' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  await expect(keys.getByRole('row', { name: /Booking agent/ })).toContainText('Revoked');
  expect((await withKey.get('/api/v1/connections')).status()).toBe(401);
  await withKey.dispose();
});

test('a viewer sees a connection\'s actions but neither Try it nor API keys; MCP and OpenAPI answer anonymous callers', async ({ page, playwright, baseURL }) => {
  const viewer = `actions-viewer-${Date.now()}@example.test`;
  const admin = await playwright.request.newContext({ baseURL });
  await admin.post('/api/auth/sign-in', { data: DEMO });
  const { workspaces } = (await (await admin.get('/api/me')).json()) as { workspaces: { id: string; name: string }[] };
  const studio = workspaces.find((w) => w.name === 'Try-it Studio')!;
  const { connections } = (await (await admin.get(`/api/workspaces/${studio.id}/connections`)).json()) as { connections: { id: string; provider: string }[] };
  const google = connections.find((c) => c.provider === 'google-calendar')!;
  await admin.post(`/api/workspaces/${studio.id}/members`, { data: { email: viewer, role: 'viewer' } });
  await admin.dispose();

  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.get(`/api/workspaces/${studio.id}/api-keys`)).status()).toBe(401);
  const mcp = await anonymous.post('/api/mcp', { data: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
  expect(mcp.status()).toBe(401);
  expect(mcp.headers()['www-authenticate']).toMatch(/^Bearer/);
  const doc = await anonymous.get('/api/v1/openapi.json');
  expect(doc.status()).toBe(200);
  expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
  await anonymous.dispose();

  await signUpVerified(page.request, viewer, 'viewer password 1');
  await acceptLatestInvitation(page.request);
  expect((await page.request.get(`/api/workspaces/${studio.id}/api-keys`)).status()).toBe(403);
  await page.goto(`/w/${studio.id}/integrations/${google.id}`);
  const actions = page.getByRole('region', { name: 'Actions', exact: true });
  await expect(actions).toContainText('Find free slots');
  await expect(actions).toContainText('Only owners and admins can try actions from here.');
  await expect(actions.getByRole('form', { name: 'Try it' })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Actions' }).click();
  await expect(page.getByRole('table', { name: 'Action calls, newest first' }).getByTestId('action-log-row')).toHaveCount(4);
  await page.goto(`/w/${studio.id}/settings/api-keys`);
  await expect(page.getByRole('main')).toContainText('Only owners and admins can see, create and revoke API keys.');
  await expect(page.getByRole('button', { name: 'Create API key' })).toHaveCount(0);
});
