'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { SignOutIcon } from '@/components/ui/icons';
import { apiFetch } from '@/lib/client/api';

export function SignOutButton({ className = '' }: { className?: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function signOut() {
    setPending(true);
    try {
      await apiFetch('/api/auth/sign-out', { method: 'POST' });
    } catch {
      // Even if the request failed, leaving the app is what the person asked for; the sign-in
      // page redirects back if the session is somehow still valid.
    }
    router.replace('/sign-in');
    router.refresh();
  }

  return (
    <button type="button" onClick={signOut} disabled={pending} className={buttonClasses('ghost', 'sm', className)}>
      <SignOutIcon className="size-4" />
      Sign out
    </button>
  );
}
