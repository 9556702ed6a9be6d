'use client';

import { useEffect } from 'react';
import { Alert } from '@/components/ui/alert';
import { PlugIcon } from '@/components/ui/icons';
import { BackLink } from '@/components/sync/back-link';
import { NotFoundBlock } from '@/components/sync/not-found-block';
import { ApiError } from '@/lib/client/api';
import type { MappingDefinition, MappingEditor, MappingTarget } from '@/lib/client/mapping';
import { EditorBody } from './editor-body';
import { JobProgress } from './job-progress';
import { MappingHeader } from './mapping-header';
import { useDraft } from './use-draft';
import { useMappingActions, useMappingEditor } from './use-mapping-data';
import { VersionsList } from './versions-list';

export function MappingEditorView(target: MappingTarget) {
  const query = useMappingEditor(target);
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
      {query.data ? <LoadedEditor target={target} editor={query.data.editor} /> : null}
    </div>
  );
}

function LoadedEditor({ target, editor }: { target: MappingTarget; editor: MappingEditor }) {
  const saved = (editor.active?.definition ?? { version: 1, model: editor.model, rows: [] }) as MappingDefinition;
  const draft = useDraft(saved, editor.active?.id ?? 'none');
  const actions = useMappingActions(target, draft.expectNewVersion);
  const recordsHref = `/w/${target.workspaceId}/integrations/${target.connectionId}/records?resource=${encodeURIComponent(target.resource)}`;

  // Leaving with unsaved changes asks first (the browser words the question).
  useEffect(() => {
    if (!draft.dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [draft.dirty]);

  return (
    <>
      <MappingHeader editor={editor} />
      {editor.canEdit ? null : (
        <p className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
          You can read this mapping and its preview. Only owners and admins can change it, roll it back or apply templates.
        </p>
      )}
      {draft.overtaken ? (
        <p role="alert" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
          Someone saved version {editor.active?.version} while you were editing. Saving your changes replaces it; Discard shows theirs.
        </p>
      ) : null}
      {editor.job ? <JobProgress job={editor.job} recordsHref={recordsHref} /> : null}
      <EditorBody target={target} editor={editor} draft={draft} saved={saved} actions={actions} />
      <VersionsList versions={editor.versions} canEdit={editor.canEdit} dirty={draft.dirty} rollback={actions.rollback} />
    </>
  );
}
