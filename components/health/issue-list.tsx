import { TextLink } from '@/components/ui/text-link';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import type { HealthIssue } from '@/lib/client/health';
import { IssueSeverityBadge } from './health-badge';

interface IssueListProps {
  issues: readonly HealthIssue[];
  /** Shown when the list is empty. */
  emptyText?: string;
  /** Heading level of each issue's title, so the list fits the page's outline. */
  titleLevel?: 'h3' | 'h4';
}

function When({ label, iso }: { label: string; iso: string }) {
  return (
    <span>
      {label}{' '}
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatRelativeTime(iso)}
      </time>
    </span>
  );
}

/** Health issues with their severity, what happened, when, how often, and the link that fixes it. */
export function IssueList({ issues, emptyText = 'No open issues.', titleLevel: Title = 'h3' }: IssueListProps) {
  if (issues.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">{emptyText}</p>;
  return (
    <ul className="divide-y divide-slate-200 dark:divide-slate-800">
      {issues.map((issue) => (
        <li key={issue.id} className="py-3 first:pt-0 last:pb-0">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <IssueSeverityBadge severity={issue.severity} />
            <Title className="min-w-0 text-sm font-semibold break-words text-slate-900 dark:text-slate-100">{issue.title}</Title>
            {issue.status === 'resolved' ? <span className="text-xs text-slate-600 dark:text-slate-400">(resolved)</span> : null}
          </div>
          <p className="mt-1 text-sm break-words text-slate-700 dark:text-slate-300">{issue.explanation}</p>
          <p className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600 dark:text-slate-400">
            <When label="First seen" iso={issue.firstSeenAt} />
            <When label="Last seen" iso={issue.lastSeenAt} />
            <span>
              Seen {issue.count} {issue.count === 1 ? 'time' : 'times'}
            </span>
            {issue.resolvedAt ? <When label="Resolved" iso={issue.resolvedAt} /> : null}
          </p>
          {issue.status === 'open' ? (
            <p className="mt-2 text-sm">
              {issue.fix.href ? (
                <TextLink href={issue.fix.href}>
                  {issue.fix.label}
                  <span aria-hidden="true"> →</span>
                </TextLink>
              ) : (
                <span className="text-slate-700 dark:text-slate-300">{issue.fix.label}</span>
              )}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
