import { Badge } from '@/components/ui/badge';
import type { DraftRow, DraftSource, ModelFieldInfo } from '@/lib/client/mapping';
import { ArrowRightIcon, ErrorIcon, WarningIcon } from './icons';
import type { RowProblems } from './issues';
import { sampleText } from './values';
import { describeTransform, describeValidation } from './step-specs';

const chip = 'inline-flex max-w-full items-center rounded-md px-1.5 py-0.5 text-xs ring-1 ring-inset break-all';
const TRANSFORM_CHIP = `${chip} bg-slate-50 text-slate-700 ring-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700`;
const CHECK_CHIP = `${chip} bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-800`;

/** The row's steps in a line: transforms in order, then checks and the default. */
export function StepChips({ row }: { row: DraftRow }) {
  const transforms = row.transforms ?? [];
  const validations = row.validations ?? [];
  if (!transforms.length && !validations.length && row.default === undefined) {
    return <span className="text-xs text-slate-500 dark:text-slate-400">Copied as it is.</span>;
  }
  return (
    <ul aria-label="Steps" className="flex min-w-0 flex-wrap items-center gap-1">
      {transforms.map((t, i) => (
        <li key={`t${i}`} className="inline-flex items-center gap-1">
          {i > 0 ? <span aria-hidden="true" className="text-slate-400">→</span> : null}
          <span className={TRANSFORM_CHIP}>{describeTransform(t)}</span>
        </li>
      ))}
      {validations.map((v, i) => (
        <li key={`v${i}`}>
          <span className={CHECK_CHIP}>
            <span className="sr-only">Check: </span>
            {describeValidation(v)}
          </span>
        </li>
      ))}
      {row.default !== undefined ? (
        <li>
          <span className={TRANSFORM_CHIP}>Default {sampleText(row.default)}</span>
        </li>
      ) : null}
    </ul>
  );
}

export function RowProblemList({ problems }: { problems: RowProblems }) {
  if (!problems.row.length && !problems.warnings.length) return null;
  return (
    <ul className="mt-3 space-y-1.5">
      {problems.row.map((text) => (
        <li key={text} className="flex gap-1.5 text-sm text-red-700 dark:text-red-400">
          <ErrorIcon className="mt-0.5 size-4 shrink-0" />
          <span className="min-w-0 break-words">{text}</span>
        </li>
      ))}
      {problems.warnings.map((warning, i) => (
        <li key={`${warning.code}-${i}`} className="flex gap-1.5 text-sm text-amber-800 dark:text-amber-300">
          <WarningIcon className="mt-0.5 size-4 shrink-0" />
          <span className="min-w-0 break-words">{warning.message}</span>
        </li>
      ))}
    </ul>
  );
}

export function SourceText({ source }: { source: DraftSource }) {
  const code = 'font-mono text-[13px] break-all text-slate-900 dark:text-slate-100';
  if (typeof source === 'string') return <code className={code}>{source || '(no field)'}</code>;
  if ('const' in source) return <span className="text-slate-700 dark:text-slate-300">Fixed value <code className={code}>{sampleText(source.const)}</code></span>;
  const paths = 'coalesce' in source ? source.coalesce : source.concat;
  return (
    <span className="text-slate-700 dark:text-slate-300">
      {'coalesce' in source ? 'First non-empty of ' : `Joined with ${sampleText(source.separator ?? ' ')}: `}
      {paths.map((p, i) => (
        <span key={i}>
          {i > 0 ? ', ' : null}
          <code className={code}>{p}</code>
        </span>
      ))}
    </span>
  );
}

interface RowSummaryProps {
  row: DraftRow;
  index: number;
  field: ModelFieldInfo | undefined;
  problems: RowProblems;
  anchor: string;
}

/** A row for someone who may not change it: the same facts as text. */
export function RowSummary({ row, index, field, problems, anchor }: RowSummaryProps) {
  const headingId = `${anchor}-heading`;
  return (
    <div role="group" aria-labelledby={headingId} id={anchor} tabIndex={-1} className="scroll-mt-24 px-4 py-3 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 sm:px-5">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <span aria-hidden="true" className="text-xs text-slate-400 tabular-nums dark:text-slate-500">
          {index + 1}.
        </span>
        <SourceText source={row.source} />
        <ArrowRightIcon className="size-4 shrink-0 text-slate-400" />
        <h3 id={headingId} className="font-semibold text-slate-900 dark:text-slate-100">
          <span className="sr-only">Row {index + 1}: </span>
          {field?.label ?? row.target} <code className="font-mono text-xs font-normal text-slate-500 dark:text-slate-400">{row.target}</code>
        </h3>
        {field ? <Badge>{field.type}</Badge> : null}
        {field?.required ? <Badge tone="accent">Required</Badge> : null}
      </div>
      <div className="mt-1.5 pl-5">
        <StepChips row={row} />
      </div>
      <div className="pl-5">
        <RowProblemList problems={problems} />
      </div>
    </div>
  );
}
