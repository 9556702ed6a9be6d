import Link from 'next/link';
import { focusRing } from '@/components/ui/focus-ring';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { ProviderTile } from './provider-tile';
import { SandboxBadge, StatusBadge } from './status-badge';

export function BackLink({ workspaceId }: { workspaceId: string }) {
  // Not "Back to integrations": the sidebar's "Integrations" link must stay the only link with that word.
  return (
    <Link
      href={`/w/${workspaceId}/integrations`}
      className={`inline-flex items-center gap-1 rounded-sm text-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`}
    >
      <span aria-hidden="true">←</span> Back to all tools
    </Link>
  );
}

interface ConnectionHeaderProps {
  connection: Connection;
  provider: CatalogProvider | undefined;
}

export function ConnectionHeader({ connection, provider }: ConnectionHeaderProps) {
  return (
    <header className="flex items-start gap-4">
      <ProviderTile
        size="lg"
        color={provider?.color ?? '#64748b'}
        initials={provider?.initials ?? connection.providerName.slice(0, 2).toUpperCase()}
      />
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900 dark:text-slate-50">
          {connection.displayName}
        </h1>
        <div className="mt-1.5 flex flex-wrap items-center gap-2">
          <StatusBadge status={connection.status} />
          {connection.environment === 'sandbox' ? <SandboxBadge /> : null}
          <span className="min-w-0 text-sm break-words text-slate-600 dark:text-slate-400">
            {connection.accountLabel ?? 'Account not identified yet'}
          </span>
        </div>
      </div>
    </header>
  );
}
