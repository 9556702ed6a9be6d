'use client';

import Link from 'next/link';
import { useProviders } from '@/components/integrations/use-integrations';
import { Alert } from '@/components/ui/alert';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PlugIcon } from '@/components/ui/icons';
import type { RecordCount } from '@/lib/client/overview';
import { AttentionList } from './attention-list';
import { HealthSummary } from './health-summary';
import { RecordsSummary } from './records-summary';
import { RunsOutcomeChart } from './runs-outcome-chart';
import { ActionStats, WebhookStats } from './traffic-stats';
import { useOverview } from './use-overview';

export function OverviewView({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const overview = useOverview(workspaceId);
  const providers = useProviders();
  const data = overview.data;
  const providerList = providers.data?.providers ?? [];

  if (overview.isError && !data) return <Alert>{overview.error.message}</Alert>;
  if (!data) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading the overview…</p>;

  if (data.connections.length === 0) {
    return (
      <EmptyState
        icon={<PlugIcon className="size-6" />}
        title="Nothing is connected yet"
        action={
          canManage ? (
            <Link href={`/w/${workspaceId}/integrations`} className={buttonClasses('primary')}>
              Connect your first integration
            </Link>
          ) : null
        }
      >
        <p>
          Once a tool is connected, this page shows whether each connection is healthy, how many
          records it holds, the syncs and webhooks over the last day and week, and anything that needs attention.
        </p>
        {canManage ? null : <p>Ask an owner or admin of this workspace to connect one.</p>}
      </EmptyState>
    );
  }

  const labelOf = (record: RecordCount) => providerList.find((p) => p.id === record.provider)?.resources.find((r) => r.id === record.resource)?.label ?? record.resource;

  return (
    <div className="space-y-8">
      {overview.isError ? <Alert>Could not refresh the overview: {overview.error.message}</Alert> : null}
      <HealthSummary workspaceId={workspaceId} overview={data} providers={providerList} />
      <AttentionList workspaceId={workspaceId} items={data.needsAttention} more={data.needsAttentionMore} />
      <RunsOutcomeChart workspaceId={workspaceId} runs={data.runs} />
      <div className="grid gap-6 lg:grid-cols-2">
        <WebhookStats workspaceId={workspaceId} webhooks={data.webhooks} />
        <ActionStats workspaceId={workspaceId} actions={data.actions} />
      </div>
      <RecordsSummary workspaceId={workspaceId} records={data.records} labelOf={labelOf} />
    </div>
  );
}
