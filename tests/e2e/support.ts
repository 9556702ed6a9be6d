import { expect, type Page } from '@playwright/test';

export const DEMO = { email: 'admin@demo.local', password: 'integration-hub-demo' };

export async function signIn(page: Page, email = DEMO.email, password = DEMO.password) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signing in lands in a workspace; wait for that, or a later page.goto races the redirect.
  await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}(\/|$)/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/** Full-page screenshots land in test-results/screens/ for a person to look at. */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
