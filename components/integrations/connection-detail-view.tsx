'use client';

import { Suspense } from 'react';
import { ConnectionIssues } from '@/components/health';
import { PushesSection } from '@/components/push/pushes-section';
import { ConnectionSyncPanel } from '@/components/sync/connection-sync-panel';
import { Alert } from '@/components/ui/alert';
import { ApiError } from '@/lib/client/api';
import { isTroubled, STATUS_LABELS } from '@/lib/client/connections';
import { ConnectedBanner } from './connected-banner';
import { ConnectionActions } from './connection-actions';
import { ConnectionFacts } from './connection-facts';
import { BackLink, ConnectionHeader } from './connection-header';
import { ConnectionNotFound } from './connection-not-found';
import { SelectionSection } from './selection-section';
import { TryItSection } from './try-it-section';
import { useConnection, useProviders } from './use-integrations';

interface ConnectionDetailViewProps {
  workspaceId: string;
  connectionId: string;
  canManage: boolean;
}

export function ConnectionDetailView({ workspaceId, connectionId, canManage }: ConnectionDetailViewProps) {
  const query = useConnection(workspaceId, connectionId);
  const providers = useProviders();
  const connection = query.data?.connection;
  const provider = providers.data?.providers.find((p) => p.id === connection?.provider);
  const missing = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);

  if (missing) return <ConnectionNotFound workspaceId={workspaceId} />;
  return (
    <div className="space-y-6">
      <BackLink workspaceId={workspaceId} />
      {query.isError ? <Alert>{query.error.message}</Alert> : null}
      {query.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading the connection…</p> : null}
      {connection ? (
        <>
          <ConnectionHeader connection={connection} provider={provider} />
          <Suspense>
            <ConnectedBanner connection={connection} />
          </Suspense>
          {isTroubled(connection.status) && connection.statusReason ? (
            <div className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
              <p className="font-semibold">{STATUS_LABELS[connection.status]}</p>
              <p className="mt-0.5 break-words">{connection.statusReason}</p>
              {connection.status === 'needs_reauth' ? (
                <p className="mt-1">{canManage ? 'Reconnect to sign in again.' : 'Ask an owner or admin to reconnect it.'}</p>
              ) : null}
            </div>
          ) : null}
          {connection.status === 'disconnected' ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              This connection is disconnected: its credentials are deleted and nothing syncs. Its history is kept.
              {canManage ? ' Reconnect to sign in to the same account again.' : ''}
            </p>
          ) : null}
          {canManage ? (
            <ConnectionActions workspaceId={workspaceId} connection={connection} provider={provider} />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Only owners and admins can test, pause or disconnect connections.</p>
          )}
          {connection.status !== 'disconnected' ? <ConnectionIssues workspaceId={workspaceId} connectionId={connection.id} /> : null}
          <SelectionSection workspaceId={workspaceId} connection={connection} provider={provider} canManage={canManage} />
          {connection.status !== 'disconnected' ? (
            <ConnectionSyncPanel workspaceId={workspaceId} connection={connection} canManage={canManage} resources={provider?.resources ?? []} />
          ) : null}
          {connection.status !== 'disconnected' ? <PushesSection workspaceId={workspaceId} connection={connection} canManage={canManage} /> : null}
          <TryItSection workspaceId={workspaceId} connection={connection} canManage={canManage} />
          <ConnectionFacts connection={connection} provider={provider} />
        </>
      ) : null}
    </div>
  );
}
