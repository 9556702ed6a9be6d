import { Alert, StatusMessage } from '@/components/ui/alert';
import { TextLink } from '@/components/ui/text-link';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import { isLiveJob, type MappingJob } from '@/lib/client/mapping';
import { pluralize } from '@/lib/client/sync';

interface JobProgressProps {
  job: MappingJob;
  /** The records browser, filtered to this resource. */
  recordsHref: string;
}

function Ago({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelativeTime(iso)}
    </time>
  );
}

/** Re-applying a saved version to the stored records: live progress, then how it ended. */
export function JobProgress({ job, recordsHref }: JobProgressProps) {
  const n = (value: number) => value.toLocaleString('en');
  if (isLiveJob(job.status)) {
    const percent = job.total > 0 ? Math.min(100, Math.round((job.processed / job.total) * 100)) : 0;
    return (
      <div className="rounded-lg border border-indigo-200 bg-indigo-50/70 p-4 dark:border-indigo-900 dark:bg-indigo-950/40">
        <p className="text-sm font-semibold text-indigo-900 dark:text-indigo-100">
          {job.status === 'queued' ? `Version ${job.mappingVersion} is waiting to be re-applied…` : `Re-applying version ${job.mappingVersion} to stored records…`}
        </p>
        <div
          role="progressbar"
          aria-label="Re-apply progress"
          aria-valuemin={0}
          aria-valuemax={Math.max(job.total, 1)}
          aria-valuenow={job.processed}
          aria-valuetext={`${n(job.processed)} of ${n(job.total)} records`}
          className="mt-3 h-2 overflow-hidden rounded-full bg-indigo-100 dark:bg-indigo-900/70"
        >
          <div className="h-full rounded-full bg-indigo-600 transition-[width] dark:bg-indigo-400" style={{ width: `${percent}%` }} />
        </div>
        <p className="mt-2 text-xs text-indigo-800/90 tabular-nums dark:text-indigo-200/90">
          {n(job.processed)} of {n(job.total)} records · {n(job.failed)} failed
        </p>
      </div>
    );
  }
  const ended = job.finishedAt ?? job.createdAt;
  if (job.status === 'failed') {
    return (
      <Alert>
        Re-applying version {job.mappingVersion} failed after {n(job.processed)} of {n(job.total)} records
        {job.error ? `: ${job.error}` : '.'} <Ago iso={ended} />.
      </Alert>
    );
  }
  if (job.status === 'cancelled') {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Re-applying version {job.mappingVersion} was cancelled after {n(job.processed)} of {n(job.total)} records.
      </p>
    );
  }
  const ago = <Ago iso={ended} />;
  if (job.failed === 0) {
    return (
      <StatusMessage>
        Version {job.mappingVersion} re-applied to {pluralize(job.total, 'stored record')} {ago}.
      </StatusMessage>
    );
  }
  // Finished, but some records did not map: worth a look, not an alarm.
  return (
    <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
      Version {job.mappingVersion} re-applied to {pluralize(job.total, 'stored record')} {ago}.{' '}
      {pluralize(job.failed, 'record has', 'records have')} mapping errors:{' '}
      <TextLink href={recordsHref} className="text-amber-950 underline dark:text-amber-100">
        see them in Records
      </TextLink>
      .
    </div>
  );
}
