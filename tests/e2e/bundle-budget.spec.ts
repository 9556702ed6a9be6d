// scripts/bundle-budget.ts computes each route's first-load JavaScript from the build's manifests.
// This checks that reading against what Chromium really fetches on a first visit (empty cache), so
// a Next.js upgrade that changes its manifests cannot leave the budget measuring something else.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { expect, test, type Browser } from '@playwright/test';
import { DEMO } from './support';

interface Report {
  routes: { route: string; gzipBytes: number; chunks: { file: string; gzipBytes: number }[] }[];
}

async function budgetReport(): Promise<Report> {
  // Exit code 1 (a route over budget) still prints the figures; `npm test` fails on it elsewhere.
  const run = promisify(execFile);
  const args = ['node_modules/tsx/dist/cli.mjs', 'scripts/bundle-budget.ts', '--json'];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string }) => {
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  });
  return JSON.parse(stdout) as Report;
}

/** The scripts a fresh browser context fetches to show `path`, each gzipped as the budget gzips. */
async function firstVisitScripts(browser: Browser, path: string | ((request: import('@playwright/test').APIRequestContext) => Promise<string>), signedIn: boolean) {
  const context = await browser.newContext();
  if (signedIn) expect((await context.request.post('/api/auth/sign-in', { data: DEMO })).ok()).toBe(true);
  const url = typeof path === 'string' ? path : await path(context.request);
  const page = await context.newPage();
  const scripts = new Map<string, number>();
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(response.body().then((body) => void scripts.set(new URL(response.url()).pathname.replace(/^\/_next\//, ''), gzipSync(body, { level: 9 }).length)));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await Promise.all(pending);
  await context.close();
  return scripts;
}

test('the first-load figure the budget computes matches what Chromium loads', async ({ browser }) => {
  const report = await budgetReport();
  const workspaceHome = async (request: import('@playwright/test').APIRequestContext) => {
    const { workspaces } = (await (await request.get('/api/workspaces')).json()) as { workspaces: { id: string }[] };
    return `/w/${workspaces[0].id}`;
  };
  for (const [route, path, signedIn] of [
    ['/sign-in', '/sign-in', false],
    ['/w/[workspaceId]', workspaceHome, true],
  ] as const) {
    const measured = report.routes.find((entry) => entry.route === route);
    expect(measured, route).toBeDefined();
    const loaded = await firstVisitScripts(browser, path, signedIn);
    const manifestChunks = new Set(measured!.chunks.map((chunk) => chunk.file));
    // Everything the browser ran is in the budget's set…
    expect([...loaded.keys()].filter((file) => !manifestChunks.has(file)), route).toEqual([]);
    // …and the sums agree: the budget also counts the not-found boundary's chunk, which a page that
    // renders never fetches, so it may be a little larger, never smaller.
    const browserBytes = [...loaded.values()].reduce((sum, bytes) => sum + bytes, 0);
    expect(measured!.gzipBytes, route).toBeGreaterThanOrEqual(browserBytes);
    expect(measured!.gzipBytes / browserBytes, route).toBeLessThan(1.05);
  }
});
