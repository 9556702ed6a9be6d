// The field-mapping editor end to end: an admin changes a row of a provider's contacts mapping
// (HubSpot's, with the full registry: tests/e2e/providers.ts),
// watches the preview follow, saves, waits for the stored records to be re-mapped and finds the
// change in the records browser; then a viewer opens the same mapping and can only read it.
import { expect, test, type Page } from '@playwright/test';
import { acceptLatestInvitation, signUpVerified } from './mail';
import { connectButton, firstResource, firstResourceLabel, provider, secondResource } from './providers';
import { DEMO, signIn, snap } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The Last name value of one previewed record. */
const previewLastName = (page: Page, externalId: string) =>
  page.getByRole('region', { name: 'Preview' }).getByRole('article', { name: `Record ${externalId}` }).getByRole('row', { name: /^Last name/ }).getByRole('cell');

test('an admin changes a mapping row, previews, saves and sees the records re-mapped; a viewer can only read it', async ({ page, playwright, baseURL, browser }) => {
  test.setTimeout(150_000);
  const viewer = `mapping-viewer-${Date.now()}@example.test`;
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Mapping Studio' } })).json()) as { workspace: { id: string } };
  expect((await api.post(`/api/workspaces/${workspace.id}/members`, { data: { email: viewer, role: 'viewer' } })).status()).toBe(201);
  await api.dispose();
  await page.request.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: provider.datasets({ [firstResource]: 60, [secondResource]: 5 }) } });

  await signIn(page);
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });

  await page.getByRole('link', { name: `Edit ${firstResourceLabel} mapping` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${firstResourceLabel} field mapping` })).toBeVisible();
  const editorUrl = page.url();
  await expect(page.getByText('Version 1 active')).toBeVisible();
  const sample = page.getByRole('region', { name: 'Preview' }).getByRole('article').first();
  await expect(sample).toBeVisible();
  const externalId = (await sample.getByRole('heading').innerText()).replace(/^Record\s*/, '').trim();
  const lastName = (await previewLastName(page, externalId).innerText()).trim();
  expect(lastName).toMatch(/[a-z]/);

  const row = page.getByRole('group', { name: /^Row \d+: Last name/ });
  await row.getByRole('button', { name: /^Transforms and checks/ }).click();
  await row.getByRole('button', { name: 'Add transform' }).click();
  await page.getByRole('menuitem', { name: /^Upper case/ }).click();
  await expect(row.getByRole('listitem', { name: 'transform 2, Upper case' })).toBeVisible();
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  // The preview runs the draft on stored records: the name turns upper case and is marked changed.
  await expect(previewLastName(page, externalId)).toHaveText(new RegExp(`^${escape(lastName.toUpperCase())}\\s*changed$`));
  await snap(page, '30-mapping-editor');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Version 2 active')).toBeVisible();
  await expect(page.getByText(/Version 2 re-applied to \d+ stored records/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('No unsaved changes')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Versions' }).getByRole('listitem')).toHaveCount(2);

  await page.getByRole('link', { name: new RegExp(`^Back to ${provider.name}`) }).click();
  await page.getByRole('link', { name: 'Browse records' }).click();
  await page.getByLabel('Search records').fill(externalId);
  await expect(page.getByRole('button', { name: /^Show raw JSON for / })).toHaveCount(1);
  await page.getByRole('button', { name: `Show raw JSON for ${externalId}` }).click();
  const mapped = page.getByRole('table', { name: `Mapped fields of ${externalId}` });
  await expect(mapped.getByRole('row', { name: /^Last name|^lastName/ })).toContainText(lastName.toUpperCase());
  await expect(page.getByRole('main')).toContainText('mapping version 2');
  await snap(page, '31-record-mapped');

  // Rolling back saves version 1 again (as version 3), and the editor follows it.
  await page.goto(editorUrl);
  const versions = page.getByRole('region', { name: 'Versions' });
  await versions.getByRole('listitem').filter({ hasText: 'Version 1' }).getByRole('button', { name: 'Roll back to this version' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByText(/Version 3 re-applied to \d+ stored records/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('group', { name: /^Row \d+: Last name/ })).not.toContainText('Upper case');
  await expect(versions.getByRole('listitem')).toHaveCount(3);

  // The viewer: same page, nothing to change.
  const context = await browser.newContext();
  const reader = await context.newPage();
  await signUpVerified(reader.request, viewer, 'viewer password 1');
  expect(await acceptLatestInvitation(reader.request)).toBe(workspace.id);
  await reader.goto(editorUrl);
  await expect(reader.getByRole('heading', { level: 1, name: `${firstResourceLabel} field mapping` })).toBeVisible();
  await expect(reader.getByText('Only owners and admins can change it')).toBeVisible();
  await expect(reader.getByText('Version 3 active')).toBeVisible();
  await expect(reader.getByRole('group', { name: /^Row \d+: Last name/ })).toContainText('Trim spaces');
  await expect(reader.getByRole('region', { name: 'Preview' }).getByRole('article').first()).toBeVisible();
  for (const name of ['Save', 'Add row', 'Apply template', 'Save as template', 'Reset to default', 'Roll back to this version']) {
    await expect(reader.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await expect(reader.getByRole('combobox')).toHaveCount(0);
  await expect(reader.getByRole('textbox')).toHaveCount(0);
  await snap(reader, '32-mapping-viewer');
  await context.close();
});
