// A push from the browser: connect a CRM (contacts) and Mailchimp, set up a push of the CRM's
// contacts into an audience, preview it, save and run it, then count the audience's members at the
// sandbox and find the run, marked Push, in Sync history. The destination is Mailchimp by name: the
// sandbox's audience read-out is its own.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { connectButton, firstResource, provider, secondResource } from './providers';
import { DEMO, signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;
const CONTACTS = 40;
const AUDIENCE = 'Bloom newsletter';
/** Screenshots for a person to look at (a parallel run may point this elsewhere). */
const SCREENS = process.env.E2E_SCREENS_DIR ?? 'test-results/screens';

interface AudiencesReadout {
  accounts: { account: string; audiences: { id: string; name: string; total: number; members: { email_address: string; status: string; merge_fields: Record<string, unknown> }[] }[] }[];
}

async function audience(page: Page) {
  const readout = (await (await page.request.get(`${SANDBOX}/_sandbox/webhooks/mailchimp-audiences`)).json()) as AudiencesReadout;
  const found = readout.accounts.flatMap((a) => a.audiences).find((a) => a.name === AUDIENCE);
  if (!found) throw new Error(`The sandbox has no audience ${AUDIENCE}`);
  return found;
}

/** The value of one of the push card's facts (a <dd> after its <dt>). */
const fact = (scope: Locator, label: string) => scope.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');

/** axe-core on the pushes section as it stands: no serious or critical violation, light and dark. */
async function audit(page: Page) {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((value) => document.documentElement.classList.toggle('dark', value === 'dark'), theme);
    const results = await new AxeBuilder({ page })
      .include('section[aria-labelledby="pushes-out-heading"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
      .analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${theme} ${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
}

/** The viewport around `focus`, light and dark, desktop and phone, for a person to look at. */
async function shots(page: Page, name: string, focus: Locator) {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((value) => {
      localStorage.setItem('ih-theme', value);
      document.documentElement.classList.toggle('dark', value === 'dark');
    }, theme);
    for (const [label, size] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 375, height: 800 }]] as const) {
      await page.setViewportSize(size);
      await focus.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `${SCREENS}/${name}-${label}-${theme}.png` });
    }
  }
  await page.evaluate(() => {
    localStorage.setItem('ih-theme', 'light');
    document.documentElement.classList.remove('dark');
  });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('an admin pushes CRM contacts into a Mailchimp audience and sees them arrive', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name: 'Push Studio' } })).json()) as { workspace: { id: string } };
  const knobs = (data: object) => page.request.post(`${SANDBOX}/_sandbox/knobs`, { data });
  await knobs({ dataset: { ...provider.datasets({ [firstResource]: CONTACTS, [secondResource]: 0 }), 'mailchimp.members': 4 } });
  const before = await audience(page);

  await signIn(page);
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const source = (await (await api.get(`/api/workspaces/${workspace.id}/connections`)).json()) as { connections: { id: string; displayName: string }[] };
  const sourceId = source.connections[0].id;
  const records = (await (await api.get(`/api/workspaces/${workspace.id}/connections/${sourceId}/records?resource=${firstResource}&deleted=exclude&pageSize=100`)).json()) as {
    records: { mapped: { email?: string; lifecycleStage?: string } | null; mappingErrors: unknown[] | null }[];
  };
  expect(records.records).toHaveLength(CONTACTS);
  // What the push reads: customers mapped without errors; what it can send: those with an email.
  const clean = records.records.filter((r) => r.mapped && !r.mappingErrors && r.mapped.lifecycleStage === 'customer');
  const emails = [...new Set(clean.map((r) => r.mapped?.email?.toLowerCase()).filter((e): e is string => Boolean(e)))];
  expect(emails.length).toBeGreaterThan(0);

  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: 'Connect Mailchimp (sandbox)' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  const pushes = page.getByRole('region', { name: 'Pushes out' });
  await expect(pushes).toBeVisible({ timeout: 30_000 });

  await pushes.getByRole('button', { name: 'New push' }).click();
  const editor = pushes.getByRole('form', { name: 'New push' });
  await editor.getByLabel('Name', { exact: true }).fill('Contacts to the newsletter');
  await editor.getByLabel('Target', { exact: true }).selectOption({ label: AUDIENCE });
  await expect(editor.getByLabel('Match key', { exact: true })).toHaveValue('EMAIL');
  await expect(editor.getByRole('checkbox', { name: new RegExp(source.connections[0].displayName) })).toBeChecked();
  // The suggested mapping fills the audience's email from the contact's.
  await expect(editor.getByRole('group', { name: /Email address/ }).first()).toBeVisible();
  // Customers only: the audience's STAGE field takes lead, customer or other.
  await editor.getByRole('button', { name: 'Add condition' }).click();
  await editor.getByLabel('Field', { exact: true }).selectOption({ label: 'Lifecycle stage' });
  await editor.getByLabel('Value', { exact: true }).fill('customer');
  await editor.getByRole('button', { name: 'Preview' }).click();
  const preview = editor.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText(`${clean.length} ${clean.length === 1 ? 'record matches' : 'records match'}`);
  await expect(preview.getByText('Ready', { exact: true })).toHaveCount(Math.min(emails.length, 10));
  await expect(preview.getByText('Would not be sent')).toHaveCount(0);
  await audit(page);
  await shots(page, 'push-editor', editor);
  await shots(page, 'push-preview', preview);

  await editor.getByRole('button', { name: 'Save push' }).click();
  const card = pushes.getByRole('article', { name: 'Contacts to the newsletter' });
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Run now' }).click();
  await expect(card.getByText(/^(Succeeded|Partial)$/)).toBeVisible({ timeout: 30_000 });
  await audit(page);
  await shots(page, 'push-card', pushes);
  await expect(fact(card, 'Last run sent')).toHaveText(`${emails.length} sent, 0 unchanged1 request`); // one batch: under 500 members
  await expect(fact(card, `In ${AUDIENCE}`)).toHaveText(`${emails.length} records`);
  await expect(fact(card, 'Failing')).toHaveText(`${clean.length - emails.length} records`);

  // Exactly the contacts, once each, in the audience (plus whatever it held before).
  const after = await audience(page);
  const held = new Set([...before.members.map((m) => m.email_address.toLowerCase()), ...emails]);
  expect(after.total).toBe(held.size);
  expect(new Set(after.members.map((m) => m.email_address.toLowerCase()))).toEqual(held);

  // Run again with nothing changed: nothing is sent.
  await card.getByRole('button', { name: 'Run now' }).click();
  await expect(fact(card, 'Last run sent')).toHaveText(`0 sent, ${emails.length} unchanged0 requests`, { timeout: 30_000 });
  expect((await audience(page)).total).toBe(held.size);

  await page.goto(`/w/${workspace.id}/sync-history`);
  const runs = page.getByRole('table', { name: 'Sync runs' });
  await expect(runs.getByRole('row').filter({ hasText: 'Push' })).toHaveCount(2);
  await expect(runs.getByRole('row').filter({ hasText: 'Pull' }).first()).toBeVisible();
  await shots(page, 'push-history', page.getByRole('heading', { level: 1 }));

  // The source's page lists the push reading it.
  await page.goto(`/w/${workspace.id}/integrations/${sourceId}`);
  await expect(page.getByRole('region', { name: 'Pushes out of this connection' })).toContainText('Contacts to the newsletter');
  await api.dispose();
});
