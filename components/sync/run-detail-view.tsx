'use client';

import { Alert } from '@/components/ui/alert';
import { SectionCard } from '@/components/ui/card';
import { HistoryIcon } from '@/components/ui/icons';
import { ApiError } from '@/lib/client/api';
import { currentResourceOf, isLive } from '@/lib/client/sync';
import { BackLink } from './back-link';
import { NotFoundBlock } from './not-found-block';
import { RunErrors } from './run-errors';
import { RunStatusBadge } from './run-status-badge';
import { RunSummary } from './run-summary';
import { RunTimeline } from './run-timeline';
import { SyncProgress } from './sync-progress';
import { useProvidersList, useRun } from './use-sync-data';

interface RunDetailViewProps {
  workspaceId: string;
  runId: string;
  canManage: boolean;
}

export function RunDetailView({ workspaceId, runId, canManage }: RunDetailViewProps) {
  const query = useRun(workspaceId, runId);
  const providers = useProvidersList();
  const run = query.data?.run;
  const missing = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
  const provider = providers.data?.providers.find((p) => p.id === run?.provider);
  const labels = new Map(provider?.resources.map((r) => [r.id, r.label]));

  // Not "Sync history": the sidebar's link must stay the only one with that name.
  const back = <BackLink href={`/w/${workspaceId}/sync-history`}>All sync runs</BackLink>;

  if (missing) {
    return (
      <div className="space-y-6">
        {back}
        <NotFoundBlock icon={<HistoryIcon className="size-6" />} title="Sync run not found">
          This workspace has no sync run at this address. It may belong to another workspace, or the link may be mistyped.
        </NotFoundBlock>
      </div>
    );
  }

  const resourceId = run ? currentResourceOf(run) : null;
  return (
    <div className="space-y-6">
      {back}
      <header>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">Sync run</h1>
          {run ? <RunStatusBadge status={run.status} /> : null}
        </div>
        {run ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {run.connectionName}
            {provider && provider.name !== run.connectionName ? ` · ${provider.name}` : ''}
          </p>
        ) : null}
      </header>
      {query.isError && !missing ? <Alert>{query.error.message}</Alert> : null}
      {query.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading the run…</p> : null}
      {run && isLive(run.status) ? (
        <SyncProgress
          workspaceId={workspaceId}
          run={run}
          resourceLabel={resourceId ? (labels.get(resourceId) ?? resourceId) : null}
          canCancel={canManage}
        />
      ) : null}
      {run && (run.status === 'failed' || run.status === 'cancelled') ? (
        <div className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
          <p className="font-semibold">{run.status === 'failed' ? 'This run failed' : 'This run was cancelled'}</p>
          <p className="mt-0.5 break-words">{run.error ?? 'No reason was recorded.'}</p>
        </div>
      ) : null}
      {run ? (
        <>
          <SectionCard id="run-summary-heading" title="Summary">
            <RunSummary workspaceId={workspaceId} run={run} />
          </SectionCard>
          <SectionCard id="run-steps-heading" title="Steps" description="Each page the run read, in order, with what it changed.">
            <RunTimeline steps={run.steps} labels={labels} />
          </SectionCard>
          <SectionCard id="run-errors-heading" title="Per-record errors">
            <RunErrors details={run.errorDetails} />
          </SectionCard>
        </>
      ) : null}
    </div>
  );
}
