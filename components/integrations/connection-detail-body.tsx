'use client';

import { Suspense } from 'react';
import { ConnectionIssues } from '@/components/health';
import { PushesSection } from '@/components/push/pushes-section';
import { ConnectionSyncPanel } from '@/components/sync/connection-sync-panel';
import { isTroubled, STATUS_LABELS } from '@/lib/client/connections';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { ConnectedBanner } from './connected-banner';
import { ConnectionActions } from './connection-actions';
import { ConnectionFacts } from './connection-facts';
import { ConnectionHeader } from './connection-header';
import { SelectionSection } from './selection-section';
import { TryItSection } from './try-it-section';

interface ConnectionDetailBodyProps {
  workspaceId: string;
  connection: Connection;
  provider: CatalogProvider | undefined;
  canManage: boolean;
}

/** The connection page once the connection has loaded: loaded on demand by connection-detail-view.tsx. */
export function ConnectionDetailBody({ workspaceId, connection, provider, canManage }: ConnectionDetailBodyProps) {
  return (
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
  );
}
