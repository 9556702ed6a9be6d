'use client';

import { lazy, Suspense, useEffect } from 'react';
import { Alert } from '@/components/ui/alert';
import { PlugIcon } from '@/components/ui/icons';
import { LoadingNote } from '@/components/ui/loading-note';
import { BackLink } from '@/components/sync/back-link';
import { NotFoundBlock } from '@/components/sync/not-found-block';
import { ApiError } from '@/lib/client/api';
import type { MappingTarget } from '@/lib/client/mapping';
import { useMappingEditor } from './use-mapping-data';

// The editor renders only once its data has arrived (never on the server), so its code is a chunk
// of its own, fetched while the data is (see the effect below) instead of with the page's first
// load: that keeps this route under the client bundle budget (scripts/bundle-budget.ts).
// React.lazy, not next/dynamic: next/dynamic adds its own loader (~1.5 KB gzipped) to the first load.
const loadEditor = () => import('./loaded-editor');
const LoadedEditor = lazy(() => loadEditor().then((module) => ({ default: module.LoadedEditor })));

export function MappingEditorView(target: MappingTarget) {
  const query = useMappingEditor(target);
  useEffect(() => {
    void loadEditor();
  }, []);
  const back = `/w/${target.workspaceId}/integrations/${target.connectionId}`;
  const error = query.error;
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
    return (
      <div className="space-y-6">
        <BackLink href={back}>Back to the connection</BackLink>
        <NotFoundBlock icon={<PlugIcon className="size-6" />} title="Mapping not found">
          {error.message} The link may be mistyped, or the connection may have been removed.
        </NotFoundBlock>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <BackLink href={back}>Back to {query.data?.editor.connection.displayName ?? 'the connection'}</BackLink>
      {query.isError ? <Alert>{query.error.message}</Alert> : null}
      {query.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading the mapping…</p> : null}
      {query.data ? (
        <Suspense fallback={<LoadingNote>Loading the editor…</LoadingNote>}>
          <LoadedEditor target={target} editor={query.data.editor} />
        </Suspense>
      ) : null}
    </div>
  );
}
