// Every answer carries the security headers, pages a per-request nonce CSP whose nonce is on the
// inline theme script and on Next's own scripts, and the pages still hydrate and work under it.
import { expect, test } from '@playwright/test';
import { connectButton, provider } from './providers';
import { DEMO, signIn } from './support';

const nonceOf = (policy: string | undefined) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? '')?.[1];

test('pages carry a nonce CSP, every script carries its nonce, nothing is blocked, and the page hydrates', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|violates/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(error.message));

  const response = (await page.goto('/sign-in'))!;
  const headers = response.headers();
  const policy = headers['content-security-policy'];
  const nonce = nonceOf(policy);
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-eval');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['strict-transport-security']).toBeUndefined();

  // Browsers hide the attribute after parsing; the property keeps it.
  const scripts = await page.locator('script').evaluateAll((elements) =>
    elements.map((e) => ({ nonce: (e as HTMLScriptElement).nonce, inline: !(e as HTMLScriptElement).src, text: e.textContent ?? '' })),
  );
  const theme = scripts.find((s) => s.text.includes('ih-theme'));
  expect(theme?.nonce).toBe(nonce);
  // Inline scripts run only with the nonce (Next's bootstrap and flight data included).
  for (const script of scripts.filter((s) => s.inline)) expect(script.nonce, script.text.slice(0, 80)).toBe(nonce);

  // Hydrated: the form signs in through fetch and the client router (no native form submit).
  await page.getByLabel('Email').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}(\/|$)/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('button', { name: /Switch workspace/ }).click();
  await expect(page.getByRole('menuitem', { name: 'Create workspace' })).toBeVisible();
  expect(violations).toEqual([]);

  // A new page answer gets a new nonce.
  const again = (await page.reload())!;
  expect(nonceOf(again.headers()['content-security-policy'])).not.toBe(nonce);
});

test('API answers carry the headers too, and HSTS only over https', async ({ page, request }) => {
  const api = await request.get('/api/me');
  expect(api.status()).toBe(401);
  expect(api.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(api.headers()['x-frame-options']).toBe('DENY');
  expect(api.headers()['strict-transport-security']).toBeUndefined();

  const behindTls = await request.get('/sign-in', { headers: { 'x-forwarded-proto': 'https' } });
  expect(behindTls.headers()['strict-transport-security']).toMatch(/^max-age=\d+/);

  // Webhook addresses skip the proxy (their hot path) and set the same headers themselves.
  const webhook = await request.post(provider.webhookPath, { data: 'not json', headers: { 'content-type': 'text/plain', 'x-forwarded-proto': 'https' } });
  expect(webhook.status()).toBeGreaterThanOrEqual(400);
  for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options']) expect(webhook.headers()[name], name).toBe(api.headers()[name]);
  expect(webhook.headers()['strict-transport-security']).toMatch(/^max-age=\d+/);

  // Connecting still works under form-action 'self': the page POSTs, then navigates to the provider.
  await signIn(page);
  await page.getByRole('link', { name: 'Integrations', exact: true }).click();
  await page.getByRole('button', { name: connectButton }).click();
  await expect(page.getByRole('heading', { name: `${provider.name} (sandbox)` })).toBeVisible();
});
