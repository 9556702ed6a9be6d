// Email verification and invitations, as a newcomer meets them with no mail server: sign up, read
// the verification mail in the Outbox, follow its link, get invited, accept on the invitation page.
import { expect, test } from '@playwright/test';
import { outboxLink, signUpVerified } from './mail';
import { DEMO, snap } from './support';

async function demoWorkspaceId(api: import('@playwright/test').APIRequestContext): Promise<string> {
  expect((await api.post('/api/auth/sign-in', { data: DEMO })).status()).toBe(200);
  const { workspaces } = (await (await api.get('/api/me')).json()) as { workspaces: { id: string; name: string }[] };
  return workspaces.find((w) => w.name === 'Demo Workspace')!.id;
}

test('a newcomer signs up, verifies through the Outbox, is invited and accepts', async ({ page, playwright, baseURL }) => {
  const email = `newcomer-${Date.now()}@example.test`;
  const password = 'newcomer password 1';

  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toContainText(`Check your email: we sent a message to ${email}`);
  await snap(page, '40-check-your-email');

  await page.getByRole('link', { name: 'Sign in to continue' }).click();
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // No workspace yet, and an unverified address: the notice says what to do.
  await expect(page).toHaveURL(/\/workspaces\/new$/);
  const notice = page.getByRole('complementary', { name: 'Verify your email address' });
  await expect(notice).toContainText(email);
  await snap(page, '41-verify-notice');

  await notice.getByRole('link', { name: 'Open Outbox' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible();
  const verification = page.getByRole('article', { name: 'Verify your email address for Integration Hub' });
  await expect(verification).toContainText(email);
  await snap(page, '42-outbox');
  await verification.getByRole('link', { name: /\/api\/auth\/verify-email\?token=/ }).click();
  await expect(page).toHaveURL(/\/verify-email\?status=verified$/);
  await expect(page.getByRole('status')).toContainText('Your email address is verified');
  await expect(page.getByRole('complementary', { name: 'Verify your email address' })).toHaveCount(0);

  // The demo admin invites the newcomer; the answer is the same as for any address.
  const admin = await playwright.request.newContext({ baseURL });
  const demoId = await demoWorkspaceId(admin);
  const invited = await admin.post(`/api/workspaces/${demoId}/members`, { data: { email, role: 'member' } });
  expect(invited.status()).toBe(201);
  expect(await invited.json()).toEqual({ outcome: 'invited', email, role: 'member' });
  await admin.dispose();

  await page.goto('/outbox');
  const invitation = page.getByRole('article', { name: 'You are invited to Demo Workspace on Integration Hub' });
  await expect(invitation).toContainText(`${DEMO.email} invited ${email}`);
  await invitation.getByRole('link', { name: /\/invitations\// }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Join Demo Workspace' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('member');
  const invitationUrl = page.url();
  await snap(page, '43-invitation');
  await page.getByRole('button', { name: 'Accept and join Demo Workspace' }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${demoId}$`));
  await expect(page.getByRole('button', { name: /Switch workspace/ })).toContainText('Demo Workspace');

  // The link worked once.
  await page.goto(invitationUrl);
  // Next's route announcer is an (empty) alert too: find ours by its text.
  await expect(page.getByRole('alert').filter({ hasText: 'already been accepted' })).toBeVisible();
});

test('an invitation link does nothing for someone signed in with another address', async ({ page, playwright, baseURL }) => {
  const email = `invitee-${Date.now()}@example.test`;
  const invitee = await playwright.request.newContext({ baseURL });
  await signUpVerified(invitee, email, 'invitee password 1');
  const admin = await playwright.request.newContext({ baseURL });
  const demoId = await demoWorkspaceId(admin);
  expect((await admin.post(`/api/workspaces/${demoId}/members`, { data: { email, role: 'admin' } })).status()).toBe(201);
  await admin.dispose();
  const link = await outboxLink(invitee, 'invitation');
  await invitee.dispose();

  // The demo admin (verified, another address) opens the forwarded link.
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/w\/[0-9a-f-]{36}(\/|$)/);
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole('alert').filter({ hasText: `this invitation is for ${email}` })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Accept/ })).toHaveCount(0);
  const token = new URL(link).pathname.split('/').pop()!;
  const refused = await page.request.post('/api/invitations/accept', { data: { token } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { code: string }).code).toBe('forbidden');
});
