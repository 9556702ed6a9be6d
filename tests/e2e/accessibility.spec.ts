// axe-core on every page of the app, at desktop and phone widths, in light and dark theme: no
// serious or critical violation may ship. Pages come from one list (PAGES) so a new page is one
// more line there. Setup connects a sandbox provider so the connection pages have real content.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { outboxLink, signUpVerified } from './mail';
import { connectButton, firstResource, provider } from './providers';
import { signIn } from './support';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;

/** What the setup made, for building page addresses. */
interface Fixture {
  workspaceId: string;
  connectionId: string;
  runId: string;
  resource: string;
  invitationPath: string;
}

interface AuditedPage {
  name: string;
  path: (f: Fixture) => string;
  /** Visited signed out (auth pages) instead of as the demo admin. */
  signedOut?: boolean;
  /** What shows once the page has its data; default: the page's h1. */
  ready?: (page: Page) => Promise<void>;
}

const ws = (f: Fixture) => `/w/${f.workspaceId}`;
const conn = (f: Fixture) => `${ws(f)}/integrations/${f.connectionId}`;

/** Every page of the app. Append new pages here. */
const PAGES: AuditedPage[] = [
  { name: 'sign in', path: () => '/sign-in', signedOut: true },
  { name: 'sign up', path: () => '/sign-up', signedOut: true },
  { name: 'verify email', path: () => '/verify-email?status=invalid', signedOut: true },
  { name: 'invitation', path: (f) => f.invitationPath, signedOut: true },
  { name: 'overview', path: ws },
  { name: 'integrations catalog', path: (f) => `${ws(f)}/integrations`, ready: (p) => expect(p.getByRole('heading', { level: 2, name: 'Catalog' })).toBeVisible() },
  { name: 'connection detail', path: conn, ready: (p) => expect(p.getByRole('region', { name: 'Sync' })).toContainText(/Last sync/i) },
  { name: 'records', path: (f) => `${conn(f)}/records`, ready: (p) => expect(p.getByRole('button', { name: /^Show raw JSON for / }).first()).toBeVisible() },
  { name: 'mapping editor', path: (f) => `${conn(f)}/mappings/${f.resource}`, ready: (p) => expect(p.getByRole('region', { name: 'Preview' }).getByRole('article').first()).toBeVisible() },
  { name: 'connection webhooks', path: (f) => `${conn(f)}/webhooks` },
  { name: 'sync history', path: (f) => `${ws(f)}/sync-history`, ready: (p) => expect(p.getByRole('table', { name: 'Sync runs' }).getByRole('row').nth(1)).toBeVisible() },
  { name: 'sync run', path: (f) => `${ws(f)}/sync-history/${f.runId}`, ready: (p) => expect(p.getByRole('heading', { level: 1, name: 'Sync run' })).toBeVisible() },
  { name: 'webhooks', path: (f) => `${ws(f)}/webhooks` },
  { name: 'outgoing webhooks', path: (f) => `${ws(f)}/webhooks?tab=outgoing`, ready: (p) => expect(p.getByRole('heading', { level: 2, name: 'Outgoing endpoints' })).toBeVisible() },
  { name: 'actions', path: (f) => `${ws(f)}/actions` },
  { name: 'activity', path: (f) => `${ws(f)}/activity` },
  { name: 'API reference', path: (f) => `${ws(f)}/api-reference` },
  { name: 'settings', path: (f) => `${ws(f)}/settings` },
  { name: 'API keys', path: (f) => `${ws(f)}/settings/api-keys` },
  { name: 'new workspace', path: () => '/workspaces/new' },
  { name: 'outbox', path: () => '/outbox' },
  { name: 'page not found', path: () => '/no-such-page' },
  { name: 'workspace not found', path: () => '/w/00000000-0000-4000-8000-000000000000/integrations' },
];

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } } as const;
const THEMES = ['light', 'dark'] as const;

let fixture: Fixture;
let signedInState: Awaited<ReturnType<BrowserContext['storageState']>>;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const api = context.request;
  await api.post(`${SANDBOX}/_sandbox/knobs`, { data: { dataset: provider.datasets({ [firstResource]: 30 }) } });
  await signIn(page);
  const created = await api.post('/api/workspaces', { data: { name: 'Accessibility Audit' } });
  expect(created.status()).toBe(201);
  const { workspace } = (await created.json()) as { workspace: { id: string } };

  // A connection that has synced, so its pages, the run and the mapping preview have content.
  await page.goto(`/w/${workspace.id}/integrations`);
  await page.getByRole('button', { name: connectButton }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Last sync: succeeded/i, { timeout: 30_000 });
  const connectionId = new URL(page.url()).pathname.split('/')[4];
  const runs = (await (await api.get(`/api/workspaces/${workspace.id}/sync-runs`)).json()) as { runs: { id: string }[] };
  expect(runs.runs.length).toBeGreaterThan(0);

  const invitee = `a11y-invitee-${Date.now()}@example.test`;
  expect((await api.post(`/api/workspaces/${workspace.id}/members`, { data: { email: invitee, role: 'member' } })).status()).toBe(201);
  signedInState = await context.storageState();
  await context.close();

  const inviteeContext = await browser.newContext({ baseURL });
  await signUpVerified(inviteeContext.request, invitee, 'invitee password 1');
  const invitationPath = new URL(await outboxLink(inviteeContext.request, 'invitation')).pathname;
  await inviteeContext.close();

  fixture = { workspaceId: workspace.id, connectionId, runId: runs.runs[0].id, resource: firstResource, invitationPath };
});

async function newAuditContext(browser: Browser, baseURL: string | undefined, theme: (typeof THEMES)[number], viewport: { width: number; height: number }, signedIn: boolean) {
  const context = await browser.newContext({
    baseURL,
    viewport,
    colorScheme: theme,
    ...(signedIn ? { storageState: signedInState } : {}),
  });
  // The stored choice wins over the system's, as the theme toggle leaves it.
  await context.addInitScript((value) => localStorage.setItem('ih-theme', value), theme);
  return context;
}

/** Audits the page with its data, not its loading state: no "Loading …" line and no skeleton left. */
async function settled(page: Page) {
  await expect(page.getByText(/^Loading\b.*…$/)).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator('.animate-pulse')).toHaveCount(0, { timeout: 15_000 });
}

/**
 * With A11Y_SCREENS set (1 for test-results/screens, or a directory), each page is also
 * photographed for a person to look at: the whole page, and the viewport scrolled to the bottom
 * (where a sidebar that stops short would show).
 */
async function screens(page: Page, name: string) {
  const dir = process.env.A11Y_SCREENS === '1' ? 'test-results/screens' : process.env.A11Y_SCREENS;
  await page.screenshot({ path: `${dir}/a11y-${name}.png`, fullPage: true });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.screenshot({ path: `${dir}/a11y-${name}-bottom.png` });
  await page.evaluate(() => window.scrollTo(0, 0));
}

type Finding = { page: string; id: string; impact: string; help: string; targets: string[] };

for (const theme of THEMES) {
  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    test(`no serious or critical axe violations, ${width}, ${theme}`, async ({ browser, baseURL }) => {
      test.setTimeout(480_000);
      const contexts = {
        signedIn: await newAuditContext(browser, baseURL, theme, viewport, true),
        signedOut: await newAuditContext(browser, baseURL, theme, viewport, false),
      };
      const pages = { signedIn: await contexts.signedIn.newPage(), signedOut: await contexts.signedOut.newPage() };
      const findings: Finding[] = [];
      try {
        for (const entry of PAGES) {
          const page = entry.signedOut ? pages.signedOut : pages.signedIn;
          await page.goto(entry.path(fixture));
          await (entry.ready ?? ((p: Page) => expect(p.getByRole('heading', { level: 1 }).first()).toBeVisible()))(page);
          await settled(page);
          await expect(page.locator('html')).toHaveClass(theme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b).*$/);
          if (process.env.A11Y_SCREENS) await screens(page, `${width}-${theme}-${entry.name.replace(/\W+/g, '-')}`);
          const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental']).analyze();
          for (const violation of results.violations) {
            if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
            findings.push({
              page: entry.name,
              id: violation.id,
              impact: violation.impact,
              help: violation.help,
              targets: violation.nodes.map((node) => `${node.target.join(' ')}${node.failureSummary ? ` — ${node.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`),
            });
          }
        }
      } finally {
        await contexts.signedIn.close();
        await contexts.signedOut.close();
      }
      const report = findings.map((f) => `[${f.page}] ${f.id} (${f.impact}): ${f.help}\n    ${f.targets.join('\n    ')}`).join('\n');
      expect(findings.length, `axe found ${findings.length} serious/critical violations at ${width} ${theme}:\n${report}`).toBe(0);
    });
  }
}
