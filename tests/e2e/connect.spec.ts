// Connecting tools in the browser through real redirects to the provider sandbox.
import { expect, test, type Page } from '@playwright/test';
import { acceptLatestInvitation, signUpVerified } from './mail';
import { apiKeyProvider, oauthProviders } from './providers';
import { DEMO, signIn, snap } from './support';

// Every registered OAuth provider; one of them is disconnected again, another denied.
const OAUTH_PROVIDERS = oauthProviders.map((p) => p.name);
const disconnected = OAUTH_PROVIDERS[1] ?? OAUTH_PROVIDERS[0];

async function connectThroughSandbox(page: Page, name: string, decision: 'Allow' | 'Deny' = 'Allow') {
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('button', { name: `Connect ${name} (sandbox)` }).click();
  await expect(page.getByRole('heading', { name: `${name} (sandbox)` })).toBeVisible();
  await page.getByRole('button', { name: decision }).click();
}

test('an admin connects every OAuth provider through the sandbox, each syncs, and disconnects one', async ({ page }) => {
  await signIn(page);
  // Signing in lands on the overview; the catalog is on Integrations.
  await page.getByRole('link', { name: 'Integrations', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Catalog' })).toBeVisible();
  await snap(page, '10-catalog');

  for (const name of OAUTH_PROVIDERS) {
    await connectThroughSandbox(page, name);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByRole('main').getByText('Active', { exact: true }).first()).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: `${name} is connected as` })).toBeVisible();
    // Connecting starts the initial full sync: it must finish against the sandbox's data.
    await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  }
  await snap(page, '11-connection-page');

  await page.getByRole('link', { name: 'Integrations' }).click();
  const connected = page.getByRole('region', { name: 'Connected' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Connected' }) }));
  for (const name of OAUTH_PROVIDERS) await expect(connected.getByRole('link', { name, exact: true })).toBeVisible();
  await snap(page, '12-connected-list');

  await connected.getByRole('link', { name: disconnected, exact: true }).click();
  await page.getByRole('button', { name: 'Disconnect' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Disconnect ${disconnected}?`);
  await dialog.getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByRole('main').getByText('Disconnected', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  await snap(page, '13-disconnected');

  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('main')).toContainText(`disconnected ${disconnected}`);
  // Activity pages by cursor, newest first: the last connection made is on the first page.
  await expect(page.getByRole('main')).toContainText(`connected ${OAUTH_PROVIDERS.at(-1)}`);
});

test('a denial at the provider is explained on the Integrations page', async ({ page }) => {
  await signIn(page);
  await connectThroughSandbox(page, OAUTH_PROVIDERS[0], 'Deny');
  await expect(page).toHaveURL(/oauth_error=access_denied/);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('access was denied');
  await snap(page, '14-denied');
});

test('an API-key provider is validated before it is saved', async ({ page }) => {
  expect(apiKeyProvider, 'the registry has no API-key provider for this spec').toBeDefined();
  const { definition, sandbox, name } = apiKeyProvider!;
  if (definition.auth.kind !== 'api_key' || sandbox.auth.kind !== 'api_key') throw new Error(`${name} is not an API-key provider`);
  const fields = definition.auth.fields;
  // What the sandbox accepts for its first account (Mindbody: its sandbox key and site -99).
  const accepted = sandbox.auth.credentials(sandbox.accounts[0]);
  const label = (field: string) => fields.find((f) => f.name === field)!.label;
  await signIn(page);
  await page.getByRole('link', { name: 'Integrations', exact: true }).click();
  await page.getByRole('button', { name: `Connect ${name} (sandbox)` }).click();
  const dialog = page.getByRole('dialog');
  for (const field of fields) await dialog.getByLabel(field.label).fill(field.secret ? 'not-the-right-key' : accepted[field.name]);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('alert')).toContainText(`${name} did not accept these credentials`);
  await snap(page, '15-api-key-error');
  for (const field of fields.filter((f) => f.secret)) await dialog.getByLabel(label(field.name)).fill(accepted[field.name]);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(sandbox.label(sandbox.accounts[0]));
});

test('a viewer sees no Connect button and the start route answers 403', async ({ page, playwright, baseURL }) => {
  const viewer = `connect-viewer-${Date.now()}@example.test`;
  const admin = await playwright.request.newContext({ baseURL });
  await admin.post('/api/auth/sign-in', { data: DEMO });
  const { workspaces } = (await (await admin.get('/api/me')).json()) as { workspaces: { id: string; name: string }[] };
  const demo = workspaces.find((w) => w.name === 'Demo Workspace')!;
  await admin.post(`/api/workspaces/${demo.id}/members`, { data: { email: viewer, role: 'viewer' } });
  await admin.dispose();

  await signUpVerified(page.request, viewer, 'viewer password 1');
  await acceptLatestInvitation(page.request);
  await page.goto(`/w/${demo.id}/integrations`);
  await expect(page.getByRole('heading', { level: 2, name: 'Catalog' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Connect / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Connect / })).toHaveCount(0);
  await snap(page, '16-catalog-as-viewer');

  const response = await page.request.post(`/api/oauth/${oauthProviders[0].id}/start`, { data: { workspaceId: demo.id }, maxRedirects: 0 });
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: string }).error).toMatch(/admin/);
});
