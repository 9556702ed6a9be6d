'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { PlusIcon } from '@/components/ui/icons';
import type { DraftRow } from '@/lib/client/mapping';
import { NO_PROBLEMS, type PlacedProblems } from './issues';
import { RowSummary } from './row-parts';
import { RowEditor, rowAnchor, rowName, type RowContext } from './row-editor';
import type { Draft } from './use-draft';

interface RowsEditorProps extends RowContext {
  draft: Draft;
  problems: PlacedProblems;
  canEdit: boolean;
}

function otherTargets(rows: readonly DraftRow[], except: string): Set<string> {
  return new Set(rows.filter((r) => r.id !== except && r.target).map((r) => r.target));
}

const focusSoon = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

export function RowsEditor({ draft, problems, canEdit, ...context }: RowsEditorProps) {
  const [announcement, setAnnouncement] = useState('');
  const rows = draft.definition.rows;

  if (!canEdit) {
    return rows.length ? (
      <ol className="divide-y divide-slate-200 dark:divide-slate-800">
        {rows.map((row, index) => (
          <li key={row.id}>
            <RowSummary
              row={row}
              index={index}
              field={context.modelFields.find((f) => f.name === row.target)}
              problems={problems.byRow.get(row.id) ?? NO_PROBLEMS}
              anchor={rowAnchor(row.id)}
            />
          </li>
        ))}
      </ol>
    ) : (
      <p className="px-5 py-6 text-sm text-slate-600 dark:text-slate-400">This mapping has no rows, so records are stored without mapped fields.</p>
    );
  }

  function move(row: DraftRow, index: number, by: -1 | 1) {
    const to = index + by;
    draft.moveRow(row.id, by);
    setAnnouncement(`Moved the ${rowName(row, context.modelFields)} row to position ${to + 1} of ${rows.length}.`);
    const direction = by === -1 ? (to === 0 ? 'down' : 'up') : to === rows.length - 1 ? 'up' : 'down';
    focusSoon(`${rowAnchor(row.id)}-${direction}`);
  }

  function remove(row: DraftRow, index: number) {
    draft.removeRow(row.id);
    setAnnouncement(`Removed the ${rowName(row, context.modelFields)} row. Discard changes to bring it back.`);
    const neighbour = rows[index + 1] ?? rows[index - 1];
    focusSoon(neighbour ? rowAnchor(neighbour.id) : 'mapping-add-row');
  }

  return (
    // Focused controls scroll clear of the sticky save bar.
    <div className="space-y-3 p-3 sm:p-5 [&_input]:scroll-mb-24 [&_select]:scroll-mb-24 [&_button]:scroll-mb-24">
      {rows.length ? (
        <ol className="space-y-3">
          {rows.map((row, index) => (
            <li key={row.id}>
              <RowEditor
                row={row}
                index={index}
                count={rows.length}
                onChange={(change) => draft.updateRow(row.id, change)}
                onMove={(by) => move(row, index, by)}
                onRemove={() => remove(row, index)}
                usedElsewhere={otherTargets(rows, row.id)}
                problems={problems.byRow.get(row.id) ?? NO_PROBLEMS}
                {...context}
              />
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">No rows yet. Add one for each field of the model you want filled.</p>
      )}
      <p role="status" className="sr-only">
        {announcement}
      </p>
      <Button
        id="mapping-add-row"
        variant="secondary"
        disabled={rows.length >= 100}
        onClick={() => {
          const id = draft.addRow('');
          setAnnouncement(`Added row ${rows.length + 1}. Choose its target field.`);
          focusSoon(`${rowAnchor(id)}-target`);
        }}
      >
        <PlusIcon className="size-4" />
        Add row
      </Button>
    </div>
  );
}
