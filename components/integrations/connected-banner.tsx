'use client';

import { useSearchParams } from 'next/navigation';
import type { Connection } from '@/lib/client/types';

/** Drops ?connected=1 once the person does something else, so the banner never contradicts newer news. */
export function dismissConnectedBanner(): void {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('connected')) return;
  params.delete('connected');
  const query = params.toString();
  // Native history calls update useSearchParams without a server round trip.
  window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
}

/** After the OAuth callback or the API-key form (?connected=1): what just happened, in one sentence. */
export function ConnectedBanner({ connection }: { connection: Connection }) {
  const searchParams = useSearchParams();
  if (searchParams.get('connected') !== '1') return null;
  const failed = connection.status === 'error' || connection.status === 'needs_reauth';
  const tone = failed
    ? 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200'
    : 'border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200';
  return (
    <div role="status" className={`rounded-lg border px-4 py-3 text-sm ${tone}`}>
      {failed
        ? `${connection.displayName} was connected, but it does not work yet: ${(connection.statusReason ?? 'the connection test failed').replace(/\.$/, '')}.`
        : `${connection.displayName} is connected as ${connection.accountLabel ?? 'an unnamed account'}.`}
    </div>
  );
}
