'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { apiFetch, errorMessage } from '@/lib/client/api';

/** "Resend" on the verify-email notice (plain state: it also renders outside the app shell). */
export function ResendVerificationButton() {
  const router = useRouter();
  const [state, setState] = useState<{ pending: boolean; message: string | null }>({ pending: false, message: null });

  async function resend() {
    setState({ pending: true, message: null });
    try {
      const answer = await apiFetch<{ status: 'sent' | 'already_verified' }>('/api/auth/verify-email/resend', { method: 'POST' });
      if (answer.status === 'already_verified') {
        setState({ pending: false, message: 'Your address is already verified.' });
        router.refresh();
        return;
      }
      setState({ pending: false, message: 'Sent. Follow the link in the new mail.' });
    } catch (error) {
      setState({ pending: false, message: errorMessage(error) });
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button variant="secondary" size="sm" onClick={resend} disabled={state.pending} aria-busy={state.pending}>
        Resend verification mail
      </Button>
      <span role="status" className="text-sm">
        {state.message}
      </span>
    </span>
  );
}
