import { Badge } from '@/components/ui/badge';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import type { MappingEditor } from '@/lib/client/mapping';
import { ArrowRightIcon } from './icons';

/** Which records become which model, and which version is in force, by whom and when. */
export function MappingHeader({ editor }: { editor: MappingEditor }) {
  const { connection, resource, model, active } = editor;
  return (
    <header className="space-y-2">
      <p className="text-sm font-medium break-words text-slate-500 dark:text-slate-400">{connection.displayName}</p>
      <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900 dark:text-slate-50">{resource.label} field mapping</h1>
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
        <span>
          {connection.providerName} {resource.label.toLowerCase()}
        </span>
        <ArrowRightIcon className="size-4 text-slate-400" />
        <span className="sr-only">become</span>
        <span className="font-medium text-slate-900 dark:text-slate-100">{model} records</span>
      </p>
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
        {active ? (
          <>
            <Badge tone="success">Version {active.version} active</Badge>
            <span className="break-words">
              saved by {active.createdByEmail ?? 'Integration Hub on connect'} ·{' '}
              <time dateTime={active.createdAt} title={formatDateTime(active.createdAt)}>
                {formatRelativeTime(active.createdAt)}
              </time>
            </span>
          </>
        ) : (
          <Badge tone="warning">No saved mapping yet</Badge>
        )}
      </p>
    </header>
  );
}
