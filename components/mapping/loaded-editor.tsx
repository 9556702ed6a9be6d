'use client';

import { useEffect } from 'react';
import type { MappingDefinition, MappingEditor, MappingTarget } from '@/lib/client/mapping';
import { EditorBody } from './editor-body';
import { JobProgress } from './job-progress';
import { MappingHeader } from './mapping-header';
import { useDraft } from './use-draft';
import { useMappingActions } from './use-mapping-data';
import { VersionsList } from './versions-list';

/** The mapping editor once its data has loaded: loaded on demand by mapping-editor-view.tsx. */
export function LoadedEditor({ target, editor }: { target: MappingTarget; editor: MappingEditor }) {
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
