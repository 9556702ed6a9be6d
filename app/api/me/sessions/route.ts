import { currentLocalSession } from '@/lib/auth/session';
import { listSessions } from '@/lib/auth/sessions';
import { supabaseAuthEnabled } from '@/lib/auth/supabase';
import { handler } from '@/lib/http/handler';

// The signed-in account's live sessions (local accounts; Supabase Auth keeps its own list).
export const GET = handler({}, async ({ user, db }) => {
  if (supabaseAuthEnabled()) return { sessions: [], managedBy: 'supabase' };
  const current = await currentLocalSession();
  return { sessions: await listSessions(db, user.userId, current?.id ?? null), managedBy: 'app' };
});
