'use client';

import { Alert } from '@/components/ui/alert';
import { SectionCard } from '@/components/ui/card';
import { connectionHealthOfIssues } from '@/lib/client/health';
import { HealthBadge } from './health-badge';
import { IssueList } from './issue-list';
import { useIssues } from './use-issues';

/** The connection page's health section: its overall health and every open issue with its fix. */
export function ConnectionIssues({ workspaceId, connectionId }: { workspaceId: string; connectionId: string }) {
  const query = useIssues(workspaceId, { connectionId });
  const issues = query.data?.issues ?? [];
  return (
    <SectionCard
      id="connection-health"
      title="Health"
      description={
        query.data ? (
          <span className="inline-flex flex-wrap items-center gap-2">
            <HealthBadge health={connectionHealthOfIssues(issues)} />
            <span>Checked after every sync and every few minutes; issues close by themselves once the cause is gone.</span>
          </span>
        ) : undefined
      }
    >
      {query.isError ? <Alert>{query.error.message}</Alert> : null}
      {query.isPending ? <p className="text-sm text-slate-600 dark:text-slate-400">Loading health…</p> : null}
      {query.data ? <IssueList issues={issues} emptyText="No open issues: everything checked looks fine." /> : null}
    </SectionCard>
  );
}
