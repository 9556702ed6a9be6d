import type { ReactNode } from 'react';
import { TextLink } from '@/components/ui/text-link';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import { describeCounts, RUN_STATUS_LABELS, type SyncRun } from '@/lib/client/sync';
import type { Connection } from '@/lib/client/types';

interface LastSyncSummaryProps {
  workspaceId: string;
  connection: Connection;
  /** The newest run once it has ended; undefined when the connection never synced. */
  run: SyncRun | undefined;
  /** A run is in progress (shown above): skip the "Last sync" line. */
  hideRun?: boolean;
}

function Ago({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelativeTime(iso)}
    </time>
  );
}

function Fact({ label, danger = false, children }: { label: string; danger?: boolean; children: ReactNode }) {
  return (
    <div>
      <dt className="inline font-medium text-slate-600 dark:text-slate-400">{label}:</dt>{' '}
      <dd className={`inline break-words ${danger ? 'text-red-700 dark:text-red-400' : 'text-slate-900 dark:text-slate-100'}`}>
        {children}
      </dd>
    </div>
  );
}

/** How the last sync went, and the connection's sync health in words. */
export function LastSyncSummary({ workspaceId, connection, run, hideRun = false }: LastSyncSummaryProps) {
  const failed = run?.status === 'failed' || run?.status === 'cancelled';
  const tone =
    run?.status === 'failed'
      ? 'font-medium text-red-700 dark:text-red-400'
      : run?.status === 'cancelled' || run?.status === 'partial'
        ? 'font-medium text-amber-800 dark:text-amber-300'
        : 'font-medium text-emerald-700 dark:text-emerald-400';
  const ended = run ? (run.finishedAt ?? run.queuedAt) : null;

  return (
    <div className="space-y-3">
      {hideRun ? null : run && ended ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          <span className="font-medium text-slate-900 dark:text-slate-100">Last sync:</span>{' '}
          <span className={tone}>
            {RUN_STATUS_LABELS[run.status].toLowerCase()}
          </span>{' '}
          <Ago iso={ended} />
          <span aria-hidden="true" className="text-slate-400 dark:text-slate-500">
            {' · '}
          </span>
          <span className="break-words">{failed ? (run.error ?? 'No reason was recorded.') : describeCounts(run)}</span>{' '}
          <TextLink href={`/w/${workspaceId}/sync-history/${run.id}`} className="whitespace-nowrap">
            View run<span className="sr-only"> details</span>
          </TextLink>
        </p>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">This connection has not synced yet.</p>
      )}
      <dl className="space-y-1 text-sm">
        <Fact label="Last success">{connection.lastSuccessAt ? <Ago iso={connection.lastSuccessAt} /> : 'never'}</Fact>
        <Fact label="Last error" danger={Boolean(connection.lastError)}>
          {connection.lastError ?? 'none'}
        </Fact>
        {connection.consecutiveFailures > 0 ? (
          <Fact label="Consecutive failures" danger>
            {connection.consecutiveFailures}
          </Fact>
        ) : null}
      </dl>
    </div>
  );
}
