'use client';

import { useSearchParams } from 'next/navigation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { oauthErrorMessage } from '@/lib/client/oauth-errors';

/** Explains why an OAuth round trip came back without a connection (?oauth_error=&detail=). */
export function OAuthErrorBanner() {
  const searchParams = useSearchParams();
  const reason = searchParams.get('oauth_error');
  if (!reason) return null;
  const detail = searchParams.get('detail');

  function dismiss() {
    const params = new URLSearchParams(window.location.search);
    params.delete('oauth_error');
    params.delete('detail');
    const query = params.toString();
    // Native history calls update useSearchParams without a server round trip.
    window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
  }

  return (
    <Alert className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0 space-y-1">
        <p className="font-semibold">Nothing was connected</p>
        <p>{oauthErrorMessage(reason)}</p>
        {detail ? (
          <p className="break-words text-red-700 dark:text-red-300">
            <span className="font-medium">Details:</span> {detail}
          </p>
        ) : null}
      </div>
      <Button variant="secondary" size="sm" onClick={dismiss} className="self-start">
        Dismiss
      </Button>
    </Alert>
  );
}
