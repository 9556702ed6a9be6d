'use client';

import { lazy, Suspense, useEffect } from 'react';
import { Alert } from '@/components/ui/alert';
import { LoadingNote } from '@/components/ui/loading-note';
import { ApiError } from '@/lib/client/api';
import { BackLink } from './connection-header';
import { ConnectionNotFound } from './connection-not-found';
import { useConnection, useProviders } from './use-integrations';

// Everything below the back link renders only once the connection has loaded in the browser (never
// on the server), so its code (sync panel, pushes, Try it, selection…) is a chunk of its own,
// fetched while the connection is (the effect below) rather than with the page's first load: that
// keeps this route under the client bundle budget (scripts/bundle-budget.ts).
// React.lazy, not next/dynamic: next/dynamic adds its own loader (~1.5 KB gzipped) to the first load.
const loadBody = () => import('./connection-detail-body');
const ConnectionDetailBody = lazy(() => loadBody().then((module) => ({ default: module.ConnectionDetailBody })));

interface ConnectionDetailViewProps {
  workspaceId: string;
  connectionId: string;
  canManage: boolean;
}

export function ConnectionDetailView({ workspaceId, connectionId, canManage }: ConnectionDetailViewProps) {
  const query = useConnection(workspaceId, connectionId);
  useEffect(() => {
    void loadBody();
  }, []);
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
        <Suspense fallback={<LoadingNote>Loading the connection…</LoadingNote>}>
          <ConnectionDetailBody workspaceId={workspaceId} connection={connection} provider={provider} canManage={canManage} />
        </Suspense>
      ) : null}
    </div>
  );
}
