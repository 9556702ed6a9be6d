import { ProviderActionsLine } from '@/components/actions/supported-actions';
import { Badge } from '@/components/ui/badge';
import { focusRing } from '@/components/ui/focus-ring';
import { CheckIcon } from '@/components/ui/icons';
import { STATUS_LABELS } from '@/lib/client/connections';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { AvailabilityBadge } from './availability-badge';
import { ConnectControl } from './connect-control';
import { ProviderTile } from './provider-tile';

interface ProviderCardProps {
  provider: CatalogProvider;
  workspaceId: string;
  canManage: boolean;
  /** This workspace's connections to the provider that are not working (error, needs reconnect). */
  troubled: Connection[];
}

export function ProviderCard({ provider, workspaceId, canManage, troubled }: ProviderCardProps) {
  const muted = 'text-slate-600 dark:text-slate-400';
  return (
    <li className="flex min-w-0 flex-col rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-start gap-3">
        <ProviderTile color={provider.color} initials={provider.initials} />
        <div className="min-w-0">
          <h3 className="font-semibold text-slate-900 dark:text-slate-100">{provider.name}</h3>
          <div className="mt-1 flex flex-wrap gap-1.5">
            <Badge>{provider.category}</Badge>
            <AvailabilityBadge availability={provider.availability} />
            {provider.unverified ? <Badge tone="warning">Unverified API</Badge> : null}
          </div>
        </div>
      </div>
      <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">{provider.description}</p>
      <ul aria-label={`${provider.name} capabilities`} className="mt-3 space-y-1 text-xs text-slate-600 dark:text-slate-400">
        {provider.capabilities.map((capability) => (
          <li key={capability} className="flex gap-1.5">
            <CheckIcon className="mt-px size-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" />
            {capability}
          </li>
        ))}
      </ul>
      <dl className={`mt-3 space-y-1 text-xs ${muted}`}>
        <div>
          <dt className="inline font-medium text-slate-700 dark:text-slate-300">Syncs: </dt>
          <dd className="inline">{provider.syncs.map((r) => r.label).join(', ') || (provider.received.length ? 'Nothing (no history to list)' : 'Nothing yet')}</dd>
        </div>
        {provider.received.length ? (
          <div>
            <dt className="inline font-medium text-slate-700 dark:text-slate-300">Stored as they arrive: </dt>
            <dd className="inline">{provider.received.map((r) => r.label).join(', ')}</dd>
          </div>
        ) : null}
        <div>
          <dt className="inline font-medium text-slate-700 dark:text-slate-300">Webhooks: </dt>
          <dd className="inline">{provider.webhooksNote}</dd>
        </div>
        <ProviderActionsLine workspaceId={workspaceId} providerId={provider.id} />
      </dl>
      {provider.unverified ? (
        <p className="mt-3 rounded-md bg-amber-50 px-2.5 py-1.5 text-xs text-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
          {provider.unverified}
        </p>
      ) : null}
      {provider.availability === 'unavailable' ? (
        <p className={`mt-3 text-xs ${muted}`}>
          Not configured on this server: set <code className="font-mono">{provider.envPrefix}_CLIENT_ID</code> and{' '}
          <code className="font-mono">{provider.envPrefix}_CLIENT_SECRET</code> to connect it.
        </p>
      ) : null}
      {troubled.map((connection) => (
        <p key={connection.id} className="mt-3 rounded-md bg-red-50 px-2.5 py-1.5 text-xs break-words text-red-800 dark:bg-red-950/60 dark:text-red-200">
          <span className="font-semibold">
            {connection.accountLabel ?? connection.displayName}: {STATUS_LABELS[connection.status]}.
          </span>{' '}
          {connection.statusReason}
        </p>
      ))}
      <div className="mt-auto flex items-center justify-between gap-3 pt-4">
        <a
          href={provider.docsUrl}
          target="_blank"
          rel="noreferrer"
          className={`rounded-sm text-xs font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`}
        >
          API docs<span className="sr-only"> for {provider.name} (opens in a new tab)</span>
        </a>
        {canManage ? <ConnectControl provider={provider} workspaceId={workspaceId} /> : null}
      </div>
    </li>
  );
}
