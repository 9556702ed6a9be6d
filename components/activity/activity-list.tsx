import { describeActivity } from '@/lib/client/describe-activity';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import type { ActivityEntry } from '@/lib/client/types';
import { ActivityIcon, PlugIcon, SettingsIcon, UsersIcon } from '@/components/ui/icons';

function EntryIcon({ action }: { action: string }) {
  const Icon = action.startsWith('member.')
    ? UsersIcon
    : action.startsWith('workspace.')
      ? SettingsIcon
      : action.startsWith('connection.')
        ? PlugIcon
        : ActivityIcon;
  return (
    <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400">
      <Icon className="size-4" />
    </span>
  );
}

export function ActivityList({ entries }: { entries: ActivityEntry[] }) {
  // Deliberate: "3 minutes ago" is as of this render. No React Compiler memoizes it, and the list only
  // renders client-side from fetched data, so there is no server/client hydration mismatch.
  // eslint-disable-next-line react-hooks/purity -- relative times are meant to be recomputed on every render
  const now = Date.now();
  return (
    <ol className="divide-y divide-slate-200 dark:divide-slate-800">
      {entries.map((entry) => {
        const { sentence, summary } = describeActivity(entry);
        return (
          <li key={entry.id} className="flex gap-3 px-4 py-3 sm:px-5">
            <EntryIcon action={entry.action} />
            <div className="min-w-0 flex-1 pt-1.5 sm:flex sm:items-start sm:justify-between sm:gap-4">
              <div className="min-w-0">
                <p className="text-sm break-words text-slate-900 dark:text-slate-100">{sentence}</p>
                {summary ? (
                  <p className="mt-0.5 text-xs break-words text-slate-500 dark:text-slate-400">{summary}</p>
                ) : null}
              </div>
              <time
                dateTime={entry.createdAt}
                title={formatDateTime(entry.createdAt)}
                className="mt-0.5 block shrink-0 text-xs whitespace-nowrap text-slate-500 dark:text-slate-400"
              >
                {formatRelativeTime(entry.createdAt, now)}
              </time>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
