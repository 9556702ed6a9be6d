// Keyset paging in the browser (issue 15): the Activity log of a workspace of its own, 30 entries
// over two pages; Next and Previous move by cursor, the cursor lives in the URL (a shared link
// opens the same page), and Newest goes back to the top. Light and dark, desktop and phone.
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './support';

const SCREENS = path.join(os.tmpdir(), 'h-dash-screens');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

test('pages the activity log by cursor, with shareable URLs', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL });
  await api.post('/api/auth/sign-in', { data: DEMO });
  const name = `Paging ${Date.now()}`;
  const { workspace } = (await (await api.post('/api/workspaces', { data: { name } })).json()) as { workspace: { id: string } };
  // Creating logs two entries (the workspace, its owner); 29 renames make 31, the last rename on top.
  for (let i = 1; i <= 29; i++) {
    const answer = await api.patch(`/api/workspaces/${workspace.id}`, { data: { name: `${name} ${i}` } });
    expect(answer.status()).toBe(200);
  }
  await api.dispose();

  await signIn(page);
  await page.goto(`/w/${workspace.id}/activity`);
  const pages = page.getByRole('navigation', { name: 'Activity pages' });
  await expect(pages).toContainText('31 entries');
  const list = page.getByRole('main');
  await expect(list).toContainText(`${name} 29`);
  await expect(pages.getByRole('button', { name: 'Previous' })).toBeDisabled();
  await shot(page, 'activity-first-page');

  await pages.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/[?&]after=/);
  await expect(list).toContainText(`${name} 1`);
  await expect(list).not.toContainText(`${name} 29`);
  await expect(pages.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(pages.getByRole('button', { name: 'Newest' })).toBeVisible();

  // The URL is the page: opened afresh, it shows the same entries.
  const shared = page.url();
  const secondPage = await list.innerText();
  await page.goto(shared);
  await expect(list).toContainText(`${name} 1`);
  expect(await list.innerText()).toBe(secondPage);

  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((value) => localStorage.setItem('ih-theme', value), theme);
    for (const [label, viewport] of [
      ['desktop', { width: 1280, height: 900 }],
      ['phone', { width: 375, height: 800 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.reload();
      await expect(pages).toContainText('31 entries');
      await shot(page, `activity-second-page-${label}-${theme}`);
    }
  }
  await page.evaluate(() => localStorage.removeItem('ih-theme'));
  await page.setViewportSize({ width: 1280, height: 900 });

  await pages.getByRole('button', { name: 'Previous' }).click();
  await expect(page).toHaveURL(/[?&]before=/);
  await expect(list).toContainText(`${name} 29`);
  await expect(pages.getByRole('button', { name: 'Previous' })).toBeDisabled();

  await pages.getByRole('button', { name: 'Next' }).click();
  await pages.getByRole('button', { name: 'Newest' }).click();
  await expect(page).not.toHaveURL(/after=|before=/);
  await expect(list).toContainText(`${name} 29`);
});
