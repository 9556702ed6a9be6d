'use client';

import { useState } from 'react';
import { RunStatusBadge } from '@/components/sync/run-status-badge';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { TextLink } from '@/components/ui/text-link';
import { formatDateTime } from '@/lib/client/format';
import { DELETION_POLICY_LABELS, PUSH_SCHEDULE_LABELS, type PushDestinationView, type PushView } from '@/lib/client/push';
import type { SyncStatus } from '@/lib/client/sync';
import { PushErrors } from './push-errors';
import { useDeletePush, useRunPush, useUpdatePush } from './use-push';

interface PushCardProps {
  workspaceId: string;
  destinationId: string;
  push: PushView;
  destinations: PushDestinationView[];
  canManage: boolean;
  connectionName: (id: string) => string;
  onEdit?: () => void;
}

const n = (value: number) => value.toLocaleString('en');

/** One push: what it sends where, its last run and counts, and (admins) run, edit, pause, delete. */
export function PushCard({ workspaceId, destinationId, push, destinations, canManage, connectionName, onEdit }: PushCardProps) {
  const [showErrors, setShowErrors] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const run = useRunPush(workspaceId, destinationId);
  const update = useUpdatePush(workspaceId, destinationId);
  const remove = useDeletePush(workspaceId, destinationId);
  const { config, lastRun, counts } = push;
  const dest = destinations.find((d) => d.id === config.destination);
  const target = dest?.targets.find((t) => t.id === config.targetId)?.label ?? config.targetId;
  const headingId = `push-${push.id}`;
  const live = lastRun?.status === 'queued' || lastRun?.status === 'running';

  return (
    <article aria-labelledby={headingId} className="space-y-3 px-4 py-4 sm:px-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 id={headingId} className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900 dark:text-slate-100">
            <span className="break-words">{config.name}</span>
            {push.enabled ? null : <Badge tone="warning">Paused</Badge>}
          </h3>
          <p className="mt-0.5 text-sm break-words text-slate-600 dark:text-slate-400">
            {config.sourceModel} records from {config.sourceConnectionIds.map(connectionName).join(', ')} → {target}
            {config.filters.length ? ` · ${config.filters.length} ${config.filters.length === 1 ? 'filter' : 'filters'}` : ''}
          </p>
          <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
            Matched on <code className="font-mono">{config.matchField}</code> · {PUSH_SCHEDULE_LABELS[config.schedule]}
            {config.pushOnSourceChange ? ', and after source changes' : ''} · deletions: {DELETION_POLICY_LABELS[config.deletionPolicy].toLowerCase()}
          </p>
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" disabled={run.isPending || live || !push.enabled} onClick={() => run.mutate(push.id)}>
              {live ? 'Running…' : 'Run now'}
            </Button>
            <Button size="sm" variant="secondary" onClick={onEdit}>
              Edit
            </Button>
            <Button size="sm" variant="secondary" disabled={update.isPending} onClick={() => update.mutate({ pushId: push.id, change: { enabled: !push.enabled } })}>
              {push.enabled ? 'Pause' : 'Resume'}
            </Button>
            <Button size="sm" variant="dangerGhost" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </div>
        ) : null}
      </div>

      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Last run</dt>
          <dd className="mt-0.5 flex flex-wrap items-center gap-1.5 text-slate-800 dark:text-slate-200">
            {lastRun ? (
              <>
                <RunStatusBadge status={lastRun.status as SyncStatus} />
                <TextLink href={`/w/${workspaceId}/sync-history/${lastRun.id}`} className="text-xs">
                  <time dateTime={lastRun.finishedAt ?? lastRun.queuedAt}>{formatDateTime(lastRun.finishedAt ?? lastRun.queuedAt)}</time>
                </TextLink>
              </>
            ) : (
              'Never run'
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Last run sent</dt>
          <dd className="mt-0.5 text-slate-800 tabular-nums dark:text-slate-200">
            {lastRun ? `${n(lastRun.recordsSent)} sent, ${n(lastRun.recordsUnchanged)} unchanged` : '—'}
            {lastRun && lastRun.recordsRemoved ? `, ${n(lastRun.recordsRemoved)} removed` : ''}
            {lastRun ? (
              <span className="block text-xs text-slate-500 dark:text-slate-400">
                {n(lastRun.requests)} {lastRun.requests === 1 ? 'request' : 'requests'}
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">In {target}</dt>
          <dd className="mt-0.5 text-slate-800 tabular-nums dark:text-slate-200">{n(counts.pushed)} records</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Failing</dt>
          <dd className={`mt-0.5 tabular-nums ${counts.failing ? 'font-medium text-red-700 dark:text-red-300' : 'text-slate-800 dark:text-slate-200'}`}>
            {n(counts.failing)} records
          </dd>
        </div>
      </dl>

      {run.isError ? <Alert>{run.error.message}</Alert> : null}
      {update.isError ? <Alert>{update.error.message}</Alert> : null}
      {/* Announces the run's state changes, not every count. */}
      <p role="status" className="sr-only">
        {lastRun ? `Last run ${lastRun.status}` : ''}
      </p>

      {counts.failing || showErrors ? (
        <div>
          <Button size="sm" variant="ghost" aria-expanded={showErrors} onClick={() => setShowErrors((v) => !v)}>
            {showErrors ? 'Hide failing records' : `Show failing records (${n(counts.failing)})`}
          </Button>
          {showErrors ? (
            <div className="mt-2">
              <PushErrors workspaceId={workspaceId} connectionId={destinationId} pushId={push.id} connectionName={connectionName} />
            </div>
          ) : null}
        </div>
      ) : null}

      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete ${config.name}?`}
        description="It stops pushing. Records already sent stay at the destination; its run history is kept."
        confirmLabel="Delete push"
        pending={remove.isPending}
        error={remove.isError ? remove.error.message : null}
        onConfirm={() => remove.mutate(push.id, { onSuccess: () => setDeleting(false) })}
      />
    </article>
  );
}
