'use client';

import { useCallback, useState } from 'react';
import type { DraftRow, MappingDefinition } from '@/lib/client/mapping';

/** Key order and left-out defaults aside, two definitions are the same mapping when their JSON is. */
const sameMapping = (a: MappingDefinition, b: MappingDefinition) => JSON.stringify(a) === JSON.stringify(b);

function freshId(rows: readonly DraftRow[]): string {
  const taken = new Set(rows.map((row) => row.id));
  for (;;) {
    const id = `row-${Math.random().toString(36).slice(2, 8)}`;
    if (!taken.has(id)) return id;
  }
}

export interface Draft {
  definition: MappingDefinition;
  dirty: boolean;
  /** A newer version was saved elsewhere while this draft had changes; saving replaces it. */
  overtaken: boolean;
  updateRow: (id: string, change: (row: DraftRow) => DraftRow) => void;
  addRow: (target: string) => string;
  removeRow: (id: string) => void;
  moveRow: (id: string, by: -1 | 1) => void;
  discard: () => void;
  /** After this session saves or rolls back: the next saved version replaces the draft. */
  expectNewVersion: () => void;
}

/**
 * The editor's working copy. When the saved version changes (after a save, a rollback, or an
 * admin elsewhere), an unchanged draft follows it; a changed one is kept and flagged instead of
 * silently thrown away.
 */
export function useDraft(saved: MappingDefinition, savedKey: string): Draft {
  const [state, setState] = useState({ key: savedKey, base: saved, definition: saved, overtaken: false, following: false });
  if (state.key !== savedKey) {
    const dirtyBefore = !sameMapping(state.definition, state.base);
    setState(
      dirtyBefore && !state.following
        ? { ...state, key: savedKey, base: saved, overtaken: true }
        : { key: savedKey, base: saved, definition: saved, overtaken: false, following: false },
    );
  }

  const setRows = useCallback(
    (change: (rows: DraftRow[]) => DraftRow[]) =>
      setState((current) => ({ ...current, definition: { ...current.definition, rows: change(current.definition.rows) } })),
    [],
  );

  const updateRow = useCallback(
    (id: string, change: (row: DraftRow) => DraftRow) => setRows((rows) => rows.map((row) => (row.id === id ? change(row) : row))),
    [setRows],
  );

  const addRow = useCallback(
    (target: string) => {
      const id = freshId(state.definition.rows);
      setRows((rows) => [...rows, { id, target, source: '' }]);
      return id;
    },
    [setRows, state.definition.rows],
  );

  const removeRow = useCallback((id: string) => setRows((rows) => rows.filter((row) => row.id !== id)), [setRows]);

  const moveRow = useCallback(
    (id: string, by: -1 | 1) =>
      setRows((rows) => {
        const from = rows.findIndex((row) => row.id === id);
        const to = from + by;
        if (from < 0 || to < 0 || to >= rows.length) return rows;
        const next = [...rows];
        [next[from], next[to]] = [next[to], next[from]];
        return next;
      }),
    [setRows],
  );

  const discard = useCallback(() => setState((current) => ({ ...current, definition: current.base, overtaken: false })), []);
  const expectNewVersion = useCallback(() => setState((current) => ({ ...current, following: true })), []);

  return {
    definition: state.definition,
    dirty: !sameMapping(state.definition, state.base),
    overtaken: state.overtaken,
    updateRow,
    addRow,
    removeRow,
    moveRow,
    discard,
    expectNewVersion,
  };
}
