import type { MouseEvent, ReactNode } from 'react';
import { focusRing } from '@/components/ui/focus-ring';
import type { DraftRow, ModelFieldInfo } from '@/lib/client/mapping';
import { ErrorIcon, WarningIcon } from './icons';
import type { PlacedProblems } from './issues';
import { rowAnchor, rowName } from './row-editor';

interface ProblemsSummaryProps {
  problems: PlacedProblems;
  rows: readonly DraftRow[];
  fields: readonly ModelFieldInfo[];
}

interface Line {
  key: string;
  tone: 'error' | 'warning';
  text: string;
  rowId?: string;
}

function jumpTo(event: MouseEvent<HTMLAnchorElement>, rowId: string) {
  event.preventDefault();
  const row = document.getElementById(rowAnchor(rowId));
  row?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  row?.focus({ preventScroll: true });
}

/** Everything the editor flags, in one list that leads to the rows concerned. */
export function ProblemsSummary({ problems, rows, fields }: ProblemsSummaryProps) {
  const lines: Line[] = problems.general.map((issue, i) => ({
    key: `g${i}`,
    tone: 'error',
    text: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
  }));
  rows.forEach((row, index) => {
    const p = problems.byRow.get(row.id);
    if (!p) return;
    const where = `Row ${index + 1}, ${rowName(row, fields)}`;
    const errors = p.row.length + [...p.transforms.values(), ...p.validations.values()].reduce((sum, list) => sum + list.length, 0);
    if (errors) lines.push({ key: `e${row.id}`, tone: 'error', text: `${where}: ${errors === 1 ? 'a problem' : `${errors} problems`} to fix`, rowId: row.id });
    p.warnings.forEach((w, i) => lines.push({ key: `w${row.id}${i}`, tone: 'warning', text: `${where}: ${w.message}`, rowId: row.id }));
  });
  problems.generalWarnings.forEach((w, i) => lines.push({ key: `gw${i}`, tone: 'warning', text: w.message }));
  if (lines.length === 0) return null;

  const errorCount = lines.filter((l) => l.tone === 'error').length;
  const heading = errorCount
    ? `${errorCount === 1 ? 'A problem' : `${errorCount} problems`} to fix before saving`
    : `${lines.length === 1 ? 'One thing' : `${lines.length} things`} to check`;

  return (
    <section
      aria-labelledby="mapping-problems-heading"
      className={`rounded-lg border px-4 py-3 ${
        errorCount ? 'border-red-200 bg-red-50 dark:border-red-900 dark:bg-red-950/50' : 'border-amber-200 bg-amber-50 dark:border-amber-900 dark:bg-amber-950/40'
      }`}
    >
      <h2 id="mapping-problems-heading" className={`text-sm font-semibold ${errorCount ? 'text-red-900 dark:text-red-100' : 'text-amber-900 dark:text-amber-100'}`}>
        {heading}
      </h2>
      <ul className="mt-2 space-y-1">
        {lines.map((line) => (
          <ProblemLine key={line.key} line={line}>
            {line.rowId ? (
              <a href={`#${rowAnchor(line.rowId)}`} onClick={(event) => jumpTo(event, line.rowId!)} className={`rounded-sm underline underline-offset-2 hover:no-underline ${focusRing}`}>
                {line.text}
              </a>
            ) : (
              line.text
            )}
          </ProblemLine>
        ))}
      </ul>
    </section>
  );
}

function ProblemLine({ line, children }: { line: Line; children: ReactNode }) {
  const Icon = line.tone === 'error' ? ErrorIcon : WarningIcon;
  return (
    <li className={`flex gap-1.5 text-sm ${line.tone === 'error' ? 'text-red-800 dark:text-red-200' : 'text-amber-900 dark:text-amber-200'}`}>
      <Icon className="mt-0.5 size-4 shrink-0" />
      <span className="min-w-0 break-words">{children}</span>
    </li>
  );
}
