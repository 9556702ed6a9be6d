import { accountEmail } from '@/lib/auth/verification';
import { handler } from '@/lib/http/handler';
import { unauthorized } from '@/lib/http/errors';
import { outboxVisible } from '@/lib/mail/config';
import { listOutbox } from '@/lib/mail/outbox';

// The embedded outbox: mail kept for the signed-in account's own address (lib/mail/config.ts says when).
export const GET = handler({}, async ({ user, db }) => {
  if (!outboxVisible()) return { enabled: false, mails: [] };
  const account = await accountEmail(db, user.userId);
  if (!account) throw unauthorized();
  return { enabled: true, mails: await listOutbox(db, account.email) };
});
