'use client';

import { Alert } from '@/components/ui/alert';
import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import { currentResourceOf, isLive, RUN_STATUS_LABELS } from '@/lib/client/sync';
import type { Connection } from '@/lib/client/types';
import { LastSyncSummary } from './last-sync-summary';
import { ResourceSettings } from './resource-settings';
import { ScheduleSetting } from './schedule-setting';
import { SyncNowControls } from './sync-now-controls';
import { SyncProgress } from './sync-progress';
import { useLatestRun } from './use-latest-run';

interface ConnectionSyncPanelProps {
  workspaceId: string;
  connection: Connection;
  /** Owners and admins start, cancel and configure syncs; everyone sees progress and history. */
  canManage: boolean;
  /** The provider's resources, [{ id, label }] (GET /api/providers). */
  resources: { id: string; label: string }[];
}

export function ConnectionSyncPanel({ workspaceId, connection, canManage, resources }: ConnectionSyncPanelProps) {
  const latest = useLatestRun(workspaceId, connection.id);
  const run = latest.run;
  const live = isLive(run?.status);
  const resourceId = run && live ? currentResourceOf(latest.detail ?? run) : null;
  const resourceLabel = resourceId ? (resources.find((r) => r.id === resourceId)?.label ?? resourceId) : null;
  const base = `/w/${workspaceId}`;

  return (
    <SectionCard id="sync-heading" title="Sync" description="Copy this connection's records into Integration Hub, now or on a schedule.">
      <div className="space-y-6">
        {canManage ? (
          <SyncNowControls workspaceId={workspaceId} connection={connection} live={live} />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Only owners and admins can start or cancel syncs and change what syncs. You can follow progress and history here.
          </p>
        )}
        {/* Announces only changes of state, not every counter tick. */}
        <p role="status" className="sr-only">
          {run ? `Sync ${RUN_STATUS_LABELS[run.status].toLowerCase()}` : ''}
        </p>
        {latest.error ? <Alert>{latest.error.message}</Alert> : null}
        {latest.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading the latest sync…</p> : null}
        {run && live ? (
          <SyncProgress workspaceId={workspaceId} run={run} resourceLabel={resourceLabel} canCancel={canManage} />
        ) : null}
        {!latest.isPending ? (
          <LastSyncSummary workspaceId={workspaceId} connection={connection} run={live ? undefined : run} hideRun={live} />
        ) : null}
        <div className="space-y-5 border-t border-slate-200 pt-5 dark:border-slate-800">
          <ScheduleSetting workspaceId={workspaceId} connection={connection} canManage={canManage} />
          <ResourceSettings workspaceId={workspaceId} connection={connection} canManage={canManage} resources={resources} />
        </div>
        <p className="flex flex-wrap gap-x-6 gap-y-2 border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
          <TextLink href={`${base}/integrations/${connection.id}/records`}>Browse records</TextLink>
          <TextLink href={`${base}/sync-history?connection=${connection.id}`}>Sync history</TextLink>
        </p>
      </div>
    </SectionCard>
  );
}
