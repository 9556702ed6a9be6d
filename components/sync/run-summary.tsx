import type { ReactNode } from 'react';
import { DirectionBadge } from '@/components/push/direction-badge';
import { TextLink } from '@/components/ui/text-link';
import { formatDateTime } from '@/lib/client/format';
import { formatDuration, isLive, MODE_LABELS, runDurationMs, TRIGGER_LABELS, type SyncRunDetail } from '@/lib/client/sync';
import { RunStatusBadge } from './run-status-badge';

function When({ iso, empty }: { iso: string | null; empty: string }) {
  return iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <>{empty}</>;
}

export function RunSummary({ workspaceId, run }: { workspaceId: string; run: SyncRunDetail }) {
  const duration = runDurationMs(run);
  const facts: [string, ReactNode][] = [
    ['Connection', <TextLink key="c" href={`/w/${workspaceId}/integrations/${run.connectionId}`}>{run.connectionName}</TextLink>],
    ['Trigger', TRIGGER_LABELS[run.trigger]],
    ['Mode', MODE_LABELS[run.mode]],
    ['Direction', <DirectionBadge key="d" direction={run.direction} />],
    ['Status', <RunStatusBadge key="s" status={run.status} />],
    ['Queued', <When key="q" iso={run.queuedAt} empty="—" />],
    ['Started', <When key="st" iso={run.startedAt} empty="Not yet" />],
    ['Finished', <When key="f" iso={run.finishedAt} empty={isLive(run.status) ? 'Still running' : '—'} />],
    ['Duration', duration === null ? '—' : `${formatDuration(duration)}${isLive(run.status) ? ' so far' : ''}`],
  ];
  const counts: [string, number][] = [
    ['Pages', run.pagesDone],
    ['Fetched', run.recordsFetched],
    ['Created', run.recordsCreated],
    ['Updated', run.recordsUpdated],
    ['Unchanged', run.recordsUnchanged],
    ['Deleted', run.recordsDeleted],
    ['Failed', run.recordsFailed],
  ];
  return (
    <div className="space-y-5">
      <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{label}</dt>
            <dd className="mt-1 text-sm break-words text-slate-900 dark:text-slate-100">{value}</dd>
          </div>
        ))}
      </dl>
      <dl className="grid grid-cols-3 gap-3 border-t border-slate-200 pt-4 sm:grid-cols-7 dark:border-slate-800">
        {counts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
            <dd
              className={`text-lg font-semibold tabular-nums ${
                label === 'Failed' && value > 0 ? 'text-red-700 dark:text-red-400' : 'text-slate-900 dark:text-slate-100'
              }`}
            >
              {value.toLocaleString('en')}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
