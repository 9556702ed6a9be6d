'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { apiFetch, errorMessage } from '@/lib/client/api';

/** Posts a sign-in/up form as JSON; on success the server has set the session, so go home. */
export function useAuthSubmit(path: string, toBody: (form: FormData) => Record<string, string | undefined>) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await apiFetch(path, { method: 'POST', body: toBody(new FormData(event.currentTarget)) });
      router.replace('/');
      router.refresh();
    } catch (caught) {
      setError(errorMessage(caught));
      setPending(false);
    }
  }

  return { error, pending, onSubmit };
}
