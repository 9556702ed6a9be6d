import { progressText, type SyncRun } from '@/lib/client/sync';
import { CancelRunButton } from './cancel-run-button';

interface SyncProgressProps {
  workspaceId: string;
  run: SyncRun;
  /** The label of the resource being synced now, when known. */
  resourceLabel: string | null;
  canCancel: boolean;
}

const CSS = `@keyframes ih-sync-slide { from { transform: translateX(-100%); } to { transform: translateX(300%); } }
.ih-sync-bar { animation: ih-sync-slide 1.4s ease-in-out infinite; }
@media (prefers-reduced-motion: reduce) { .ih-sync-bar { animation: none; width: 100%; opacity: 0.5; } }`;

/** A running sync: the total is unknown, so an indeterminate bar and counters that grow. */
export function SyncProgress({ workspaceId, run, resourceLabel, canCancel }: SyncProgressProps) {
  const counters: [string, number][] = [
    ['Pages', run.pagesDone],
    ['Fetched', run.recordsFetched],
    ['Created', run.recordsCreated],
    ['Updated', run.recordsUpdated],
    ['Unchanged', run.recordsUnchanged],
    ['Deleted', run.recordsDeleted],
  ];
  const headline =
    run.status === 'queued' ? 'Waiting to start…' : resourceLabel ? `Syncing ${resourceLabel}…` : 'Syncing…';

  return (
    <div className="rounded-lg border border-indigo-200 bg-indigo-50/70 p-4 dark:border-indigo-900 dark:bg-indigo-950/40">
      {/* React 19 hoists and dedupes this into <head>. */}
      <style href="ih-sync-progress" precedence="default">
        {CSS}
      </style>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm font-semibold text-indigo-900 dark:text-indigo-100">{headline}</p>
          <p className="mt-0.5 text-xs text-indigo-800/80 dark:text-indigo-200/80">
            {run.mode === 'full' ? 'Full sync' : 'Incremental sync'} · {progressText(run)} so far
          </p>
        </div>
        {canCancel ? <CancelRunButton workspaceId={workspaceId} runId={run.id} /> : null}
      </div>
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuetext={progressText(run)}
        className="relative mt-3 h-2 overflow-hidden rounded-full bg-indigo-100 dark:bg-indigo-900/70"
      >
        <div className="ih-sync-bar absolute inset-y-0 left-0 w-1/3 rounded-full bg-indigo-600 dark:bg-indigo-400" />
      </div>
      <dl className="mt-4 grid grid-cols-3 gap-x-4 gap-y-3 sm:grid-cols-6">
        {counters.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs text-indigo-800/80 dark:text-indigo-200/80">{label}</dt>
            <dd className="text-base font-semibold text-indigo-950 tabular-nums dark:text-indigo-50">{value.toLocaleString('en')}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
