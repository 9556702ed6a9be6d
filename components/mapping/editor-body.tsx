'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { MappingRequestError, type MappingDefinition, type MappingEditor, type MappingTarget } from '@/lib/client/mapping';
import { placeProblems } from './issues';
import { PreviewPanel } from './preview-panel';
import { ProblemsSummary } from './problems-summary';
import { RowsEditor } from './rows-editor';
import { SaveBar } from './save-bar';
import { TemplateControls } from './template-controls';
import type { Draft } from './use-draft';
import { usePreview, type useMappingActions } from './use-mapping-data';

interface EditorBodyProps {
  target: MappingTarget;
  editor: MappingEditor;
  draft: Draft;
  saved: MappingDefinition;
  actions: ReturnType<typeof useMappingActions>;
}

const refusedIssues = (error: unknown) => (error instanceof MappingRequestError && error.status === 422 ? error.issues : null);

/** The rows with their flags and the save bar, beside the live preview (stacked when narrow). */
export function EditorBody({ target, editor, draft, saved, actions }: EditorBodyProps) {
  const [discarding, setDiscarding] = useState(false);
  const preview = usePreview(target, draft.definition);
  const baseline = usePreview(target, draft.dirty ? saved : null);
  const { save } = actions;

  // The save's own refusal counts while the draft is still what was sent; after that the
  // (debounced) preview of the current draft is the fresher judge.
  const saveIssues = refusedIssues(save.error);
  const saveIsCurrent = saveIssues && JSON.stringify(save.variables) === JSON.stringify(draft.definition);
  const issues = saveIsCurrent ? saveIssues : (refusedIssues(preview.query.error) ?? []);
  const sent = saveIsCurrent ? (save.variables ?? null) : preview.sent;
  const warnings = preview.data?.warnings ?? editor.warnings;
  const rowIds = new Set(draft.definition.rows.map((r) => r.id));
  const problems = placeProblems(issues, sent, warnings, rowIds);
  const modelLabel = editor.model;

  return (
    <div className="@container">
      <div className="grid gap-6 @4xl:grid-cols-[minmax(0,1fr)_minmax(0,21rem)]">
        <div className="min-w-0 space-y-4">
          {editor.canEdit ? (
            <TemplateControls
              templates={editor.templates}
              activeVersion={editor.active?.version ?? null}
              dirty={draft.dirty}
              applyTemplate={actions.applyTemplate}
              saveTemplate={actions.saveTemplate}
            />
          ) : null}
          <ProblemsSummary problems={problems} rows={draft.definition.rows} fields={editor.modelFields} />
          <section aria-labelledby="mapping-rows-heading">
            <Card>
              <div className="border-b border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800">
                <h2 id="mapping-rows-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
                  Rows
                </h2>
                <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
                  Each row reads a source from the {target.resource} record, runs its transforms in order and fills one {modelLabel} field.
                </p>
              </div>
              <RowsEditor
                draft={draft}
                problems={problems}
                canEdit={editor.canEdit}
                modelFields={editor.modelFields}
                modelLabel={modelLabel}
                sourceFields={editor.sourceFields}
                sampleSize={editor.sampleSize}
                transformOps={editor.transformOps}
                validationRules={editor.validationRules}
              />
              {save.isError && !saveIsCurrent && !saveIssues ? <Alert className="mx-4 mb-3 sm:mx-5">{save.error.message}</Alert> : null}
              {saveIsCurrent ? <Alert className="mx-4 mb-3 sm:mx-5">Not saved. {save.error?.message}</Alert> : null}
              {editor.canEdit ? (
                <SaveBar
                  dirty={draft.dirty}
                  saving={save.isPending}
                  job={editor.job}
                  onSave={() => save.mutate(draft.definition)}
                  onDiscard={() => setDiscarding(true)}
                />
              ) : null}
            </Card>
          </section>
        </div>
        <div className="min-w-0 @4xl:sticky @4xl:top-4 @4xl:max-h-[calc(100vh-2rem)] @4xl:self-start @4xl:overflow-y-auto @4xl:rounded-lg">
          <PreviewPanel query={preview.query} data={preview.data} waiting={preview.waiting} baseline={draft.dirty ? baseline.query.data : undefined} fields={editor.modelFields} readOnly={!editor.canEdit} />
        </div>
      </div>
      <ConfirmDialog
        open={discarding}
        onOpenChange={setDiscarding}
        title="Discard your changes?"
        description={`The editor goes back to version ${editor.active?.version ?? 1} as it was saved.`}
        confirmLabel="Discard changes"
        onConfirm={() => {
          draft.discard();
          save.reset();
          setDiscarding(false);
        }}
      />
    </div>
  );
}
