'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { ScalarValue } from '@/lib/client/mapping';
import { TrashIcon } from './icons';

type Table = Record<string, ScalarValue>;

interface Entry {
  key: number;
  from: string;
  to: ScalarValue;
}

let nextKey = 0;
const entriesOf = (table: Table): Entry[] => Object.entries(table).map(([from, to]) => ({ key: nextKey++, from, to }));
const tableOf = (entries: readonly Entry[]): Table => Object.fromEntries(entries.map((e) => [e.from, e.to]));

/** Keeps a value's kind while it is edited as text: 3 stays a number while it still reads as one. */
function retype(previous: ScalarValue, text: string): ScalarValue {
  if (typeof previous === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (typeof previous === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

interface LookupTableProps {
  id: string;
  label: string;
  table: Table;
  onChange: (table: Table) => void;
  /** The target field's allowed values, offered while typing a result. */
  suggestions?: readonly string[];
}

/**
 * The key → value table of a "Look up values" step. Entries are edited as a list (an object
 * cannot hold two rows with the same key while one is being retyped); a repeated key is flagged.
 */
export function LookupTable({ id, label, table, onChange, suggestions }: LookupTableProps) {
  const serialized = JSON.stringify(table);
  const [entries, setEntries] = useState(() => entriesOf(table));
  const [seen, setSeen] = useState(serialized);
  if (seen !== serialized) {
    setSeen(serialized);
    setEntries(entriesOf(table));
  }

  function update(next: Entry[]) {
    setEntries(next);
    const out = tableOf(next);
    setSeen(JSON.stringify(out));
    onChange(out);
  }

  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.from, (counts.get(e.from) ?? 0) + 1);
  const listId = suggestions?.length ? `${id}-values` : undefined;

  return (
    <div className="space-y-2">
      <table className="w-full text-sm">
        <caption className="mb-1 text-left text-xs font-medium text-slate-600 dark:text-slate-300">{label}</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">When the value is</th>
            <th scope="col">Use</th>
            <th scope="col">Remove</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, index) => {
            const repeated = (counts.get(entry.from) ?? 0) > 1;
            return (
              <tr key={entry.key} className="align-top">
                <td className="py-1 pr-2">
                  <Input
                    aria-label={`Value ${index + 1} to look up`}
                    value={entry.from}
                    className="font-mono text-[13px]"
                    aria-invalid={repeated || undefined}
                    aria-describedby={repeated ? `${id}-repeat-${entry.key}` : undefined}
                    onChange={(event) => update(entries.map((e) => (e.key === entry.key ? { ...e, from: event.target.value } : e)))}
                  />
                  {repeated ? (
                    <p id={`${id}-repeat-${entry.key}`} className="mt-1 text-xs text-red-700 dark:text-red-400">
                      This value is listed twice; the last one wins.
                    </p>
                  ) : null}
                </td>
                <td aria-hidden="true" className="w-4 py-3 text-center text-slate-400">
                  →
                </td>
                <td className="py-1 pl-2">
                  <Input
                    aria-label={`Result for value ${index + 1}`}
                    value={String(entry.to)}
                    list={listId}
                    onChange={(event) => update(entries.map((e) => (e.key === entry.key ? { ...e, to: retype(e.to, event.target.value) } : e)))}
                  />
                </td>
                <td className="w-10 py-1 pl-1">
                  <Button variant="ghost" size="icon" aria-label={`Remove lookup value ${index + 1}`} onClick={() => update(entries.filter((e) => e.key !== entry.key))}>
                    <TrashIcon />
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {entries.length === 0 ? <p className="text-xs text-slate-500 dark:text-slate-400">No values yet: everything passes through (or becomes the fallback).</p> : null}
      {listId ? (
        <datalist id={listId}>
          {suggestions!.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
      <Button variant="secondary" size="sm" onClick={() => update([...entries, { key: nextKey++, from: '', to: '' }])}>
        Add a value
      </Button>
    </div>
  );
}
