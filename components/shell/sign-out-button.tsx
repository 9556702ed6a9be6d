'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { SignOutIcon } from '@/components/ui/icons';
import { apiFetch } from '@/lib/client/api';

interface SignOutButtonProps {
  className?: string;
  /** End every session of the account (all devices), not only this browser's. */
  everywhere?: boolean;
}

export function SignOutButton({ className = '', everywhere = false }: SignOutButtonProps) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function signOut() {
    setPending(true);
    setFailed(false);
    try {
      await apiFetch(everywhere ? '/api/auth/sign-out-everywhere' : '/api/auth/sign-out', { method: 'POST' });
    } catch {
      if (everywhere) {
        // Other devices may still be signed in: say so rather than pretend.
        setPending(false);
        setFailed(true);
        return;
      }
      // Even if the request failed, leaving the app is what the person asked for; the sign-in
      // page redirects back if the session is somehow still valid.
    }
    router.replace('/sign-in');
    router.refresh();
  }

  if (everywhere) {
    return (
      <div className={className}>
        <button
          type="button"
          onClick={signOut}
          disabled={pending}
          className={buttonClasses('ghost', 'sm', '-ml-1 text-slate-600 dark:text-slate-400')}
          title="Ends your sessions on every device and browser, this one included"
        >
          Sign out everywhere
        </button>
        {failed ? (
          <p role="alert" className="mt-1 px-1 text-xs text-red-700 dark:text-red-400">
            That did not work. Your other devices may still be signed in; try again.
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <button type="button" onClick={signOut} disabled={pending} className={buttonClasses('ghost', 'sm', className)}>
      <SignOutIcon className="size-4" />
      Sign out
    </button>
  );
}
