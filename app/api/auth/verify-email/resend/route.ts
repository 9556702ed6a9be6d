import { resendVerification } from '@/lib/auth/verification';
import { handler } from '@/lib/http/handler';
import { mailLinkBase } from '@/lib/mail/config';

export const POST = handler({}, async ({ request, user, db }) => resendVerification(db, user, mailLinkBase(request)));
