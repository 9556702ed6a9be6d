'use client';

import { placeProblems } from '@/components/mapping/issues';
import { RowsEditor } from '@/components/mapping/rows-editor';
import { TRANSFORM_SPECS, VALIDATION_SPECS } from '@/components/mapping/step-specs';
import type { Draft } from '@/components/mapping/use-draft';
import { ApiError } from '@/lib/client/api';
import { MappingRequestError, type MappingIssue, type ModelFieldInfo, type SourceFieldInfo } from '@/lib/client/mapping';
import type { PushFieldView } from '@/lib/client/push';
import { FIELD_TYPES, type FieldType } from '@/lib/mapping/model';

const TRANSFORM_OPS = Object.keys(TRANSFORM_SPECS);
const VALIDATION_RULES = Object.keys(VALIDATION_SPECS);

/** The destination's real fields, as the mapping editor lists targets. */
export function targetFieldsOf(fields: readonly PushFieldView[]): ModelFieldInfo[] {
  return fields.map((field) => ({
    name: field.name,
    label: field.label,
    // 'unknown' (the value passes through untouched) reads as text in the editor.
    type: (FIELD_TYPES as readonly string[]).includes(field.type) ? (field.type as FieldType) : 'string',
    required: field.required,
    values: field.values,
    description: field.matchable ? 'Can be the match key.' : undefined,
  }));
}

/**
 * A refused save or preview names the mapping's problems at paths such as `mapping.rows[1].target`
 * (or `rows[1].target`); they go next to the row they belong to.
 */
export function mappingIssuesOf(error: unknown): MappingIssue[] {
  if (!(error instanceof ApiError) || (error.status !== 422 && error.status !== 400)) return [];
  return new MappingRequestError(error).issues.map((issue) => ({ ...issue, path: issue.path.replace(/^mapping\.?/, '') }));
}

interface PushMappingProps {
  draft: Draft;
  canEdit: boolean;
  targets: ModelFieldInfo[];
  targetLabel: string;
  sources: SourceFieldInfo[];
  sampleSize: number;
  issues: MappingIssue[];
}

/** The pull mapping's rows editor, reading the model's fields and writing the destination's. */
export function PushMapping({ draft, canEdit, targets, targetLabel, sources, sampleSize, issues }: PushMappingProps) {
  const rowIds = new Set(draft.definition.rows.map((r) => r.id));
  const problems = placeProblems(issues, draft.definition, [], rowIds);
  return (
    <div className="space-y-2">
      {problems.general.length ? (
        <ul role="alert" className="list-disc space-y-0.5 rounded-lg border border-red-200 bg-red-50 py-2 pr-3 pl-7 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
          {problems.general.map((issue, i) => (
            <li key={i}>
              {issue.path ? <span className="font-mono">{issue.path}: </span> : null}
              {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="rounded-lg border border-slate-200 dark:border-slate-800">
        <RowsEditor
          draft={draft}
          problems={problems}
          canEdit={canEdit}
          modelFields={targets}
          modelLabel={targetLabel}
          sourceFields={sources}
          sampleSize={sampleSize}
          transformOps={TRANSFORM_OPS}
          validationRules={VALIDATION_RULES}
        />
      </div>
    </div>
  );
}
