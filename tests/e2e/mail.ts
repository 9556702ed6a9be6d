// Mail in end-to-end tests: the server runs without SMTP_URL and with MAIL_OUTBOX=1, so mail waits
// in the Outbox, which a signed-in context reads at /api/me/outbox (the Outbox page shows the same).
import { expect, type APIRequestContext } from '@playwright/test';

type MailKind = 'verify_email' | 'sign_up_attempt' | 'invitation';

interface OutboxAnswer {
  enabled: boolean;
  mails: { kind: MailKind; subject: string; links: string[] }[];
}

/** The first link of the newest mail of `kind` addressed to the context's signed-in user. */
export async function outboxLink(api: APIRequestContext, kind: MailKind): Promise<string> {
  const response = await api.get('/api/me/outbox');
  expect(response.status()).toBe(200);
  const outbox = (await response.json()) as OutboxAnswer;
  expect(outbox.enabled, 'the e2e server keeps mail in the Outbox (MAIL_OUTBOX=1)').toBe(true);
  const mail = outbox.mails.find((m) => m.kind === kind);
  expect(mail, `a ${kind} mail in the Outbox`).toBeTruthy();
  return mail!.links[0];
}

/**
 * Signs up `email` (sign-up never signs in), signs in, and follows the verification link from the
 * Outbox. `api` may be a page's `page.request`, which shares the page's cookies.
 */
export async function signUpVerified(api: APIRequestContext, email: string, password: string): Promise<void> {
  expect((await api.post('/api/auth/sign-up', { data: { email, password } })).status()).toBe(201);
  expect((await api.post('/api/auth/sign-in', { data: { email, password } })).status()).toBe(200);
  const followed = await api.get(await outboxLink(api, 'verify_email'));
  expect(followed.status()).toBe(200);
  expect(followed.url()).toMatch(/\/verify-email\?status=verified$/);
}

/** Accepts the newest invitation in the context's Outbox; answers the workspace joined. */
export async function acceptLatestInvitation(api: APIRequestContext): Promise<string> {
  const token = new URL(await outboxLink(api, 'invitation')).pathname.split('/').pop()!;
  const response = await api.post('/api/invitations/accept', { data: { token } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { workspaceId: string }).workspaceId;
}
