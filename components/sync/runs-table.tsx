import Link from 'next/link';
import { DirectionBadge } from '@/components/push/direction-badge';
import { focusRing } from '@/components/ui/focus-ring';
import { formatDateTime } from '@/lib/client/format';
import {
  compactCounts,
  describeCounts,
  formatDuration,
  isLive,
  MODE_LABELS,
  runDurationMs,
  TRIGGER_LABELS,
  type SyncRun,
} from '@/lib/client/sync';
import { RunStatusBadge } from './run-status-badge';

const th = 'px-4 py-2.5 font-medium whitespace-nowrap';

export function RunsTable({ workspaceId, runs }: { workspaceId: string; runs: SyncRun[] }) {
  // Deliberate: a live run's "so far" duration is as of this render (the view re-renders on each 2 s
  // refetch). No React Compiler memoizes it, and the table only renders client-side from fetched data.
  // eslint-disable-next-line react-hooks/purity -- live durations are meant to be recomputed on every render
  const now = Date.now();
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-sm md:min-w-[52rem]">
        <caption className="sr-only">Sync runs</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className={`${th} sm:pl-5`}>Connection</th>
            <th scope="col" className={`${th} hidden md:table-cell`}>
              Trigger
            </th>
            <th scope="col" className={`${th} hidden md:table-cell`}>
              Mode
            </th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Started</th>
            <th scope="col" className={th}>Duration</th>
            <th scope="col" className={`${th} sm:pr-5`}>Records</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {runs.map((run) => {
            const duration = runDurationMs(run, now);
            const counts = `${describeCounts(run)}; ${run.recordsFetched.toLocaleString('en')} fetched`;
            return (
              <tr key={run.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <th scope="row" className="px-4 py-3 text-left font-normal sm:pl-5">
                  <span className="flex flex-wrap items-center gap-1.5 font-medium text-slate-900 dark:text-slate-100">
                    {run.connectionName} <DirectionBadge direction={run.direction} />
                  </span>
                  {run.resource ? <span className="block text-xs text-slate-500 dark:text-slate-400">Only {run.resource}</span> : null}
                  {/* Below md the Trigger and Mode columns fold in here, so the run link stays on screen. */}
                  <span className="block text-xs text-slate-500 md:hidden dark:text-slate-400">
                    {TRIGGER_LABELS[run.trigger]} · {MODE_LABELS[run.mode]}
                  </span>
                </th>
                <td className="hidden px-4 py-3 text-slate-700 md:table-cell dark:text-slate-300">{TRIGGER_LABELS[run.trigger]}</td>
                <td className="hidden px-4 py-3 text-slate-700 md:table-cell dark:text-slate-300">{MODE_LABELS[run.mode]}</td>
                <td className="px-4 py-3">
                  <RunStatusBadge status={run.status} />
                </td>
                <td className="px-4 py-3 sm:whitespace-nowrap">
                  <Link
                    href={`/w/${workspaceId}/sync-history/${run.id}`}
                    className={`rounded-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`}
                  >
                    {run.startedAt ? <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time> : 'View run'}
                  </Link>
                  {run.startedAt ? null : (
                    <span className="block text-xs text-slate-500 dark:text-slate-400">Queued {formatDateTime(run.queuedAt)}</span>
                  )}
                </td>
                <td className="px-4 py-3 whitespace-nowrap text-slate-700 tabular-nums dark:text-slate-300">
                  {duration === null ? '—' : `${formatDuration(duration)}${isLive(run.status) ? ' so far' : ''}`}
                </td>
                <td className="px-4 py-3 whitespace-nowrap sm:pr-5" title={counts}>
                  <span aria-hidden="true" className="font-mono text-xs text-slate-800 dark:text-slate-200">
                    {compactCounts(run)}
                  </span>
                  <span className="sr-only">{counts}</span>
                  <span aria-hidden="true" className="block text-xs text-slate-500 dark:text-slate-400">
                    {run.recordsFetched.toLocaleString('en')} fetched
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
