import Link from 'next/link';
import { HealthBadge } from '@/components/health';
import { Card } from '@/components/ui/card';
import { focusRing } from '@/components/ui/focus-ring';
import { ProviderTile } from '@/components/integrations/provider-tile';
import { StatusBadge } from '@/components/integrations/status-badge';
import { TextLink } from '@/components/ui/text-link';
import { formatRelativeTime } from '@/lib/client/format';
import type { Overview, OverviewConnection } from '@/lib/client/overview';
import type { CatalogProvider } from '@/lib/client/types';
import { Stat } from './stat';

interface HealthSummaryProps {
  workspaceId: string;
  overview: Overview;
  providers: CatalogProvider[];
}

/**
 * Counts first (how many healthy, degraded, broken; open issues), then a tile for each of the few
 * connections the server picked (neediest first, then the most recently synced) and how many more.
 */
export function HealthSummary({ workspaceId, overview, providers }: HealthSummaryProps) {
  const { health, issues, connections, connectionTotals } = overview;
  return (
    <section aria-labelledby="overview-health-heading" className="space-y-4">
      <h2 id="overview-health-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
        Health at a glance
      </h2>
      <Card className="px-5 py-4">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label="Healthy" value={health.healthy} tone={health.healthy ? 'good' : 'plain'} />
          <Stat label="Degraded" value={health.degraded} tone={health.degraded ? 'warn' : 'plain'} />
          <Stat label="Broken" value={health.broken} tone={health.broken ? 'bad' : 'plain'} />
          <Stat
            label="Open issues"
            value={issues.total}
            tone={issues.critical ? 'bad' : issues.total ? 'warn' : 'plain'}
            hint={issues.total ? `${issues.critical} critical, ${issues.warning} warning, ${issues.info} info` : 'Nothing open'}
          />
        </dl>
      </Card>
      <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-label="Connections">
        {connections.map((connection) => (
          <ConnectionTile
            key={connection.id}
            workspaceId={workspaceId}
            connection={connection}
            provider={providers.find((p) => p.id === connection.provider)}
          />
        ))}
      </ul>
      {connectionTotals.more > 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Showing {connectionTotals.shown} of {connectionTotals.total.toLocaleString('en')} connections, those needing attention first.{' '}
          <TextLink href={`/w/${workspaceId}/integrations`}>And {connectionTotals.more.toLocaleString('en')} more on Integrations</TextLink>
        </p>
      ) : null}
    </section>
  );
}

function ConnectionTile({ workspaceId, connection: c, provider }: { workspaceId: string; connection: OverviewConnection; provider?: CatalogProvider }) {
  return (
    <li className="relative flex min-w-0 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition-colors focus-within:border-indigo-300 hover:border-slate-300 dark:border-slate-800 dark:bg-slate-900 dark:focus-within:border-indigo-700 dark:hover:border-slate-700">
      <ProviderTile color={provider?.color ?? '#64748b'} initials={provider?.initials ?? c.providerName.slice(0, 2)} />
      <div className="min-w-0 flex-1">
        <h3 className="truncate text-sm font-semibold text-slate-900 dark:text-slate-100">
          <Link
            href={`/w/${workspaceId}/integrations/${c.id}`}
            className={`rounded-sm after:absolute after:inset-0 after:rounded-lg hover:underline ${focusRing}`}
          >
            {c.displayName}
          </Link>
        </h3>
        <div className="mt-1 flex flex-wrap items-center gap-1.5">
          <HealthBadge health={c.health} />
          {c.status !== 'active' ? <StatusBadge status={c.status} /> : null}
        </div>
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          {c.records.toLocaleString('en')} {c.records === 1 ? 'record' : 'records'}
          {c.issues.total ? ` · ${c.issues.total} open ${c.issues.total === 1 ? 'issue' : 'issues'}` : ''}
          {c.lastSuccessAt ? (
            <>
              {' · synced '}
              <time dateTime={c.lastSuccessAt}>{formatRelativeTime(c.lastSuccessAt)}</time>
            </>
          ) : (
            ' · not synced yet'
          )}
        </p>
      </div>
    </li>
  );
}
