// Supabase Auth, used instead of local accounts when a Supabase project is configured.
import { createServerClient } from '@supabase/ssr';
import { cookies } from 'next/headers';
import type { SessionUser } from './session-token';

export function supabaseAuthEnabled(): boolean {
  return Boolean(process.env.NEXT_PUBLIC_SUPABASE_URL && process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY);
}

export async function supabaseServerClient() {
  const store = await cookies();
  return createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    cookies: {
      getAll: () => store.getAll(),
      setAll: (cookiesToSet) => {
        try {
          for (const { name, value, options } of cookiesToSet) store.set(name, value, options);
        } catch {
          // Server components cannot set cookies; route handlers refresh the session instead.
        }
      },
    },
  });
}

export async function getSupabaseSession(): Promise<SessionUser | null> {
  const client = await supabaseServerClient();
  // getUser() asks Supabase Auth to validate the token; getSession() would trust the cookie.
  const { data, error } = await client.auth.getUser();
  if (error || !data.user) return null;
  return { userId: data.user.id, email: data.user.email ?? '' };
}
