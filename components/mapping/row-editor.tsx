'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { DraftRow, DraftTransform, DraftValidation, ModelFieldInfo, SourceFieldInfo } from '@/lib/client/mapping';
import type { LooseStep } from './arg-types';
import { ArrowDownIcon, ArrowRightIcon, ArrowUpIcon, TrashIcon } from './icons';
import { ScalarInput } from './inputs';
import type { RowProblems } from './issues';
import { RowProblemList, StepChips } from './row-parts';
import { SourceEditor } from './source-editor';
import { newTransform, newValidation, TRANSFORM_SPECS, VALIDATION_SPECS } from './step-specs';
import { StepsEditor } from './steps-editor';
import { TargetSelect } from './target-select';

export interface RowContext {
  modelFields: readonly ModelFieldInfo[];
  modelLabel: string;
  sourceFields: readonly SourceFieldInfo[];
  sampleSize: number;
  transformOps: readonly string[];
  validationRules: readonly string[];
}

interface RowEditorProps extends RowContext {
  row: DraftRow;
  index: number;
  count: number;
  onChange: (change: (row: DraftRow) => DraftRow) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  usedElsewhere: ReadonlySet<string>;
  problems: RowProblems;
}

export const rowAnchor = (id: string) => `mapping-row-${id}`;

export function rowName(row: DraftRow, fields: readonly ModelFieldInfo[]): string {
  return fields.find((f) => f.name === row.target)?.label ?? (row.target || 'New row');
}

export function RowEditor({ row, index, count, onChange, onMove, onRemove, usedElsewhere, problems, ...context }: RowEditorProps) {
  const transforms = (row.transforms ?? []) as LooseStep[];
  const validations = (row.validations ?? []) as LooseStep[];
  const stepProblems = problems.transforms.size + problems.validations.size > 0;
  const [openChoice, setOpen] = useState<boolean | null>(null);
  // Problems inside the steps open them; the author's own choice wins after that.
  const open = openChoice ?? stepProblems;
  const field = context.modelFields.find((f) => f.name === row.target);
  const name = rowName(row, context.modelFields);
  const headingId = `${rowAnchor(row.id)}-heading`;
  const stepsId = `${rowAnchor(row.id)}-steps`;
  const hasIssues = problems.row.length > 0 || stepProblems;
  const stepCount = transforms.length + validations.length + (row.default === undefined ? 0 : 1);

  return (
    <div
      role="group"
      aria-labelledby={headingId}
      id={rowAnchor(row.id)}
      tabIndex={-1}
      className={`scroll-mt-24 rounded-lg border bg-white p-4 shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:bg-slate-900 ${
        hasIssues ? 'border-red-300 dark:border-red-800' : problems.warnings.length ? 'border-amber-300 dark:border-amber-800' : 'border-slate-200 dark:border-slate-800'
      }`}
    >
      <div className="flex items-start justify-between gap-3">
        <h3 id={headingId} className="min-w-0 text-sm font-semibold break-words text-slate-900 dark:text-slate-100">
          <span aria-hidden="true" className="mr-2 inline-flex size-6 items-center justify-center rounded-full bg-slate-100 text-xs text-slate-600 tabular-nums dark:bg-slate-800 dark:text-slate-300">
            {index + 1}
          </span>
          <span className="sr-only">Row {index + 1}: </span>
          {name}
          {field?.required ? <span className="ml-1.5 text-xs font-medium text-indigo-700 dark:text-indigo-300">(required)</span> : null}
        </h3>
        <div className="-mt-1 -mr-1 flex shrink-0 gap-0.5">
          <Button id={`${rowAnchor(row.id)}-up`} variant="ghost" size="icon" aria-label={`Move ${name} row up`} disabled={index === 0} onClick={() => onMove(-1)}>
            <ArrowUpIcon />
          </Button>
          <Button id={`${rowAnchor(row.id)}-down`} variant="ghost" size="icon" aria-label={`Move ${name} row down`} disabled={index === count - 1} onClick={() => onMove(1)}>
            <ArrowDownIcon />
          </Button>
          <Button variant="dangerGhost" size="icon" aria-label={`Remove ${name} row`} onClick={onRemove}>
            <TrashIcon />
          </Button>
        </div>
      </div>

      <div className="mt-3 grid gap-3 md:grid-cols-[minmax(0,1.2fr)_auto_minmax(0,1fr)]">
        <SourceEditor
          rowId={rowAnchor(row.id)}
          source={row.source}
          onChange={(source) => onChange((r) => ({ ...r, source }))}
          fields={context.sourceFields}
          sampleSize={context.sampleSize}
          invalid={problems.row.some((text) => text.startsWith('Source'))}
        />
        <ArrowRightIcon className="mt-[2.625rem] hidden size-5 text-slate-400 md:block" />
        <TargetSelect
          rowId={rowAnchor(row.id)}
          value={row.target}
          onChange={(target) => onChange((r) => ({ ...r, target }))}
          fields={context.modelFields}
          modelLabel={context.modelLabel}
          usedElsewhere={usedElsewhere}
          invalid={problems.row.some((text) => text.startsWith('Target'))}
        />
      </div>

      <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3 dark:border-slate-800">
        <Button variant="ghost" size="sm" aria-expanded={open} aria-controls={stepsId} onClick={() => setOpen(!open)} className="-ml-2">
          <span aria-hidden="true" className={`inline-block transition-transform ${open ? 'rotate-90' : ''}`}>
            ›
          </span>
          Transforms and checks{stepCount ? ` (${stepCount})` : ''}
        </Button>
        {open ? null : <StepChips row={row} />}
      </div>

      {open ? (
        <div id={stepsId} className="mt-2 space-y-4">
          <section aria-label={`Transforms of ${name}`} className="space-y-2">
            <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Transforms, in order</h4>
            <StepsEditor
              id={`${rowAnchor(row.id)}-t`}
              noun="transform"
              kindKey="op"
              steps={transforms}
              onChange={(steps) => onChange((r) => ({ ...r, transforms: steps as DraftTransform[] }))}
              kinds={context.transformOps}
              specs={TRANSFORM_SPECS}
              create={(op) => newTransform(op) as LooseStep}
              problems={problems.transforms}
              max={16}
              fields={context.sourceFields}
              sampleSize={context.sampleSize}
              targetValues={field?.values}
            />
          </section>
          <section aria-label={`Checks of ${name}`} className="space-y-2">
            <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Checks on the result</h4>
            <StepsEditor
              id={`${rowAnchor(row.id)}-v`}
              noun="check"
              kindKey="rule"
              steps={validations}
              onChange={(steps) => onChange((r) => ({ ...r, validations: steps as DraftValidation[] }))}
              kinds={context.validationRules}
              specs={VALIDATION_SPECS}
              create={(rule) => newValidation(rule) as LooseStep}
              problems={problems.validations}
              max={8}
              fields={context.sourceFields}
              sampleSize={context.sampleSize}
              targetValues={field?.values}
            />
          </section>
          <div className="max-w-md">
            <ScalarInput
              id={`${rowAnchor(row.id)}-default`}
              label="Default when empty"
              optional
              value={row.default}
              suggestions={field?.values}
              onChange={(value) =>
                onChange((r) => {
                  const { default: _old, ...rest } = r;
                  return value === undefined ? rest : { ...rest, default: value };
                })
              }
            />
          </div>
        </div>
      ) : null}

      <RowProblemList problems={problems} />
    </div>
  );
}
