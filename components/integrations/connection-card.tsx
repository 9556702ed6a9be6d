import Link from 'next/link';
import { HealthBadge } from '@/components/health';
import { focusRing } from '@/components/ui/focus-ring';
import { openIssuesLabel } from '@/lib/client/health';
import { formatRelativeTime } from '@/lib/client/format';
import { isTroubled } from '@/lib/client/connections';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { ProviderTile } from './provider-tile';
import { SandboxBadge, StatusBadge } from './status-badge';

interface ConnectionCardProps {
  workspaceId: string;
  connection: Connection;
  provider: CatalogProvider | undefined;
}

/** One connected account; the name links to its page (the whole card is clickable via the link). */
export function ConnectionCard({ workspaceId, connection, provider }: ConnectionCardProps) {
  const troubled = isTroubled(connection.status) && connection.statusReason;
  // A disconnected connection has nothing left to check; its badge already says so.
  const health = connection.status === 'disconnected' ? null : connection.health;
  const issues = health ? openIssuesLabel(health) : null;
  return (
    <li className="relative flex min-w-0 gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition-colors focus-within:border-indigo-300 hover:border-slate-300 dark:border-slate-800 dark:bg-slate-900 dark:focus-within:border-indigo-700 dark:hover:border-slate-700">
      <ProviderTile color={provider?.color ?? '#64748b'} initials={provider?.initials ?? connection.providerName.slice(0, 2)} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">
            <Link
              href={`/w/${workspaceId}/integrations/${connection.id}`}
              className={`rounded-sm after:absolute after:inset-0 after:rounded-lg hover:underline ${focusRing}`}
            >
              {connection.displayName}
            </Link>
          </h3>
          <StatusBadge status={connection.status} />
          {health ? <HealthBadge health={health.health} /> : null}
          {connection.environment === 'sandbox' ? <SandboxBadge /> : null}
        </div>
        <p className="mt-0.5 text-sm break-words text-slate-600 dark:text-slate-400">
          {connection.accountLabel ?? 'Account not identified yet'}
        </p>
        {troubled ? (
          <p className="mt-2 text-sm break-words text-red-700 dark:text-red-300">{connection.statusReason}</p>
        ) : connection.lastSuccessAt ? (
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Last synced <time dateTime={connection.lastSuccessAt}>{formatRelativeTime(connection.lastSuccessAt)}</time>
          </p>
        ) : null}
        {issues ? <p className="mt-1 text-xs font-medium text-slate-700 dark:text-slate-300">{issues}</p> : null}
      </div>
    </li>
  );
}
