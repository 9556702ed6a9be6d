'use client';

import { useMemo, useState } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SectionCard } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { useSaveSelection, useSelection } from './use-selection';

interface SelectionSectionProps {
  workspaceId: string;
  connection: Connection;
  provider: CatalogProvider | undefined;
  canManage: boolean;
}

/** A filter box appears once the list is longer than this. */
const FILTER_FROM = 8;

/**
 * The connection page's choice among what the provider offers (GitHub: repositories). Nothing for
 * providers that offer none. Until something is chosen, it says so: only the list itself syncs.
 */
export function SelectionSection({ workspaceId, connection, provider, canManage }: SelectionSectionProps) {
  const offered = provider?.selection ?? null;
  const live = connection.status !== 'disconnected';
  const query = useSelection(workspaceId, connection.id, Boolean(offered) && live);
  const save = useSaveSelection(workspaceId, connection.id);
  // The admin's edits; null while they match what is saved.
  const [draft, setDraft] = useState<string[] | null>(null);
  const [filter, setFilter] = useState('');
  const selection = query.data?.selection;

  const options = useMemo(() => {
    const all = selection?.options ?? [];
    const needle = filter.trim().toLowerCase();
    return needle ? all.filter((o) => o.label.toLowerCase().includes(needle)) : all;
  }, [selection, filter]);

  if (!offered || !live) return null;
  const label = offered.label;
  const saved = selection?.chosen ?? [];
  const chosen = draft ?? saved;
  const changed = chosen.length !== saved.length || chosen.some((id) => !saved.includes(id));
  const tooMany = chosen.length > offered.max;
  const toggle = (id: string) => setDraft(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);

  return (
    <SectionCard id="selection-heading" title={`Chosen ${label}`} description={offered.description} flush>
      <div className="space-y-3 px-5 py-4">
        {query.isPending ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading the {label} this account can see…</p> : null}
        {query.isError ? <Alert>{query.error.message}</Alert> : null}
        {selection && saved.length === 0 && offered.whenNoneChosen ? <p className="text-sm text-slate-600 dark:text-slate-400">{offered.whenNoneChosen}</p> : null}
        {selection && saved.length === 0 && !offered.whenNoneChosen ? (
          <p className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
            No {label} chosen yet: only the list of {label} syncs.{' '}
            {canManage ? `Choose the ${label} to sync below.` : `Ask an owner or admin to choose ${label}.`}
          </p>
        ) : null}
        {selection && selection.options.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">This account can see no {label}.</p> : null}
        {selection && selection.options.length > FILTER_FROM ? (
          <Input type="search" aria-label={`Filter ${label}`} placeholder={`Filter ${label}`} value={filter} onChange={(event) => setFilter(event.target.value)} />
        ) : null}
        {selection && selection.options.length > 0 ? (
          <fieldset>
            <legend className="sr-only">{`Choose ${label}`}</legend>
            <ul className="max-h-72 divide-y divide-slate-200 overflow-y-auto rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
              {options.map((option) => {
                const id = `selection-${connection.id}-${option.id}`;
                return (
                  <li key={option.id} className="flex items-start gap-3 px-3 py-2">
                    <input
                      id={id}
                      type="checkbox"
                      className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600 dark:border-slate-600"
                      checked={chosen.includes(option.id)}
                      disabled={!canManage || save.isPending}
                      onChange={() => toggle(option.id)}
                    />
                    <label htmlFor={id} className="min-w-0 text-sm">
                      <span className="block break-all font-medium text-slate-900 dark:text-slate-100">{option.label}</span>
                      {option.detail ? <span className="block text-slate-600 dark:text-slate-400">{option.detail}</span> : null}
                    </label>
                  </li>
                );
              })}
              {options.length === 0 ? <li className="px-3 py-2 text-sm text-slate-600 dark:text-slate-400">Nothing matches the filter.</li> : null}
            </ul>
          </fieldset>
        ) : null}
        {selection ? (
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className={`text-sm ${tooMany ? 'text-red-700 dark:text-red-400' : 'text-slate-600 dark:text-slate-400'}`}>
              {chosen.length} of at most {offered.max} chosen
            </p>
            {canManage ? (
              <Button onClick={() => save.mutate(chosen, { onSuccess: () => setDraft(null) })} disabled={!changed || tooMany || save.isPending}>
                {save.isPending ? 'Saving…' : `Save ${label}`}
              </Button>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">Only owners and admins can change this.</p>
            )}
          </div>
        ) : null}
        {save.isError ? <Alert>{save.error.message}</Alert> : null}
        {save.isSuccess && !changed ? <StatusMessage>Saved. A sync is on its way, and webhooks follow the {label} you chose.</StatusMessage> : null}
      </div>
    </SectionCard>
  );
}
