// Puts the server's problems where the author will look: a 422 issue at `rows[2].transforms[0].timeZone`
// belongs to the third row's first transform; a warning names its row by id. Issues are matched
// to rows through the definition that was sent, so reordering rows afterwards cannot misplace them.
import type { EditorWarning, MappingDefinition, MappingIssue } from '@/lib/client/mapping';

export interface RowProblems {
  /** Problems with the row itself (its source, target, default, id), already worded with the field. */
  row: string[];
  transforms: Map<number, string[]>;
  validations: Map<number, string[]>;
  warnings: EditorWarning[];
}

export interface PlacedProblems {
  byRow: Map<string, RowProblems>;
  /** Issues about the mapping as a whole, or about rows that no longer exist. */
  general: MappingIssue[];
  /** Warnings about no row in particular (unmapped required fields, no sample). */
  generalWarnings: EditorWarning[];
  issueCount: number;
}

const ROW_PATH = /^rows\[(\d+)\](?:\.(transforms|validations)\[(\d+)\])?(?:\.?(.*))?$/;

const FIELD_WORDS: Record<string, string> = {
  source: 'Source',
  target: 'Target',
  default: 'Default value',
  id: 'Row id',
};

function wordsFor(rest: string): string {
  if (!rest) return '';
  const head = rest.split(/[.[]/)[0];
  return FIELD_WORDS[head] ?? head;
}

function emptyProblems(): RowProblems {
  return { row: [], transforms: new Map(), validations: new Map(), warnings: [] };
}

function push(map: Map<number, string[]>, index: number, text: string) {
  map.set(index, [...(map.get(index) ?? []), text]);
}

export function placeProblems(
  issues: readonly MappingIssue[],
  sent: MappingDefinition | null,
  warnings: readonly EditorWarning[],
  rowIds: ReadonlySet<string>,
): PlacedProblems {
  const byRow = new Map<string, RowProblems>();
  const general: MappingIssue[] = [];
  const at = (id: string) => {
    let problems = byRow.get(id);
    if (!problems) byRow.set(id, (problems = emptyProblems()));
    return problems;
  };

  for (const issue of issues) {
    const match = ROW_PATH.exec(issue.path);
    const id = match ? sent?.rows[Number(match[1])]?.id : undefined;
    if (!match || !id || !rowIds.has(id)) {
      general.push(issue);
      continue;
    }
    const [, , list, index, rest = ''] = match;
    const where = list ? (rest ? humanArg(rest) : '') : wordsFor(rest);
    const text = where ? `${where}: ${issue.message}` : issue.message;
    if (list === 'transforms') push(at(id).transforms, Number(index), text);
    else if (list === 'validations') push(at(id).validations, Number(index), text);
    else at(id).row.push(text);
  }

  const generalWarnings: EditorWarning[] = [];
  for (const warning of warnings) {
    if (warning.rowId && rowIds.has(warning.rowId)) at(warning.rowId).warnings.push(warning);
    else generalWarnings.push(warning);
  }
  return { byRow, general, generalWarnings, issueCount: issues.length };
}

/** `timeZone` → "Time zone", `paths[1]` → "Field 2". */
function humanArg(rest: string): string {
  const list = /^(\w+)\[(\d+)\]/.exec(rest);
  if (list) return `${list[1] === 'paths' ? 'Field' : list[1]} ${Number(list[2]) + 1}`;
  const words = rest.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const NO_PROBLEMS: RowProblems = emptyProblems();
