import { signOutEverywhere } from '@/lib/auth/session';
import { handler } from '@/lib/http/handler';

// Ends every session of the signed-in account, on every device, this one included.
export const POST = handler({}, async ({ user, db }) => ({ ok: true, ...(await signOutEverywhere(db, user)) }));
