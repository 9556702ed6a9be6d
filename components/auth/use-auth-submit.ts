'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { apiFetch, errorMessage } from '@/lib/client/api';

/**
 * Posts an auth form as JSON. By default a success means the server has set the session, so it
 * goes to `next` (a path on this site, checked by the page) or home; `onSuccess` replaces that.
 */
export function useAuthSubmit<T = unknown>(
  path: string,
  toBody: (form: FormData) => Record<string, string | undefined>,
  options: { next?: string; onSuccess?: (answer: T) => void } = {},
) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const answer = await apiFetch<T>(path, { method: 'POST', body: toBody(new FormData(event.currentTarget)) });
      if (options.onSuccess) {
        options.onSuccess(answer);
        setPending(false);
        return;
      }
      router.replace(options.next ?? '/');
      router.refresh();
    } catch (caught) {
      setError(errorMessage(caught));
      setPending(false);
    }
  }

  return { error, pending, onSubmit };
}
