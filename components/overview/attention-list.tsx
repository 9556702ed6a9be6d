import Link from 'next/link';
import { IssueSeverityBadge } from '@/components/health';
import { buttonClasses } from '@/components/ui/button';
import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import { formatRelativeTime } from '@/lib/client/format';
import type { AttentionItem } from '@/lib/client/overview';

/**
 * Open issues and connections asking for a fix, worst and newest first, each with its fix link;
 * the server sends the first few and counts the rest (`more`), which Integrations lists.
 */
export function AttentionList({ workspaceId, items, more }: { workspaceId: string; items: AttentionItem[]; more: number }) {
  return (
    <SectionCard
      id="overview-attention-heading"
      title="Needs attention"
      description={items.length ? 'Worst first, then the most recent. Each one links to where it is fixed.' : undefined}
      flush
    >
      {items.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600 dark:text-slate-400">Nothing needs attention. Issues show here as soon as a check finds one.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {items.map((item) => (
            <li key={item.key} className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start">
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <IssueSeverityBadge severity={item.severity} />
                  <h3 className="text-sm font-semibold break-words text-slate-900 dark:text-slate-100">{item.title}</h3>
                </div>
                <p className="mt-1 text-sm break-words text-slate-600 dark:text-slate-400">{item.explanation}</p>
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                  {item.issueId ? 'Last seen ' : 'Since '}
                  <time dateTime={item.at}>{formatRelativeTime(item.at)}</time>
                </p>
              </div>
              <Link
                href={item.fix.href}
                className={buttonClasses('secondary', 'sm', 'self-start')}
                aria-label={`${item.fix.label}: ${item.title}`}
              >
                {item.fix.label}
              </Link>
            </li>
          ))}
          {more > 0 ? (
            <li className="px-5 py-3 text-sm text-slate-600 dark:text-slate-400">
              And {more.toLocaleString('en')} more. <TextLink href={`/w/${workspaceId}/integrations`}>See every connection on Integrations</TextLink>
            </li>
          ) : null}
        </ul>
      )}
    </SectionCard>
  );
}
