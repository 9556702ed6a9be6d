'use client';

import { useEffect, useState } from 'react';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { DeletedFilter, RecordsResponse } from '@/lib/client/sync';
import { FIRST_PAGE, formatTotal } from '@/components/ui/cursor-pagination';

export interface RecordFilterValues {
  resource: string;
  q: string;
  deleted: DeletedFilter;
  after: string;
  before: string;
}

export const RECORD_DEFAULTS: RecordFilterValues = { resource: '', q: '', deleted: 'include', ...FIRST_PAGE };

interface RecordFiltersProps {
  filters: RecordFilterValues;
  resources: RecordsResponse['resources'];
  labels: Map<string, string>;
  onChange: (next: Partial<RecordFilterValues>, options?: { replace?: boolean }) => void;
}

const labelClasses = 'mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200';

export function RecordFilters({ filters, resources, labels, onChange }: RecordFiltersProps) {
  // The search box updates the URL 300 ms after typing stops (replacing, not adding, history entries).
  const [text, setText] = useState(filters.q);
  const [seen, setSeen] = useState(filters.q);
  if (seen !== filters.q) {
    setSeen(filters.q);
    setText(filters.q);
  }
  useEffect(() => {
    if (text.trim() === filters.q) return;
    const timer = setTimeout(() => onChange({ q: text.trim(), ...FIRST_PAGE }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [text, filters.q, onChange]);

  const all = resources.reduce((sum, r) => sum + r.total, 0);
  const anyCapped = resources.some((r) => r.totalCapped);
  const known = !filters.resource || resources.some((r) => r.resource === filters.resource);

  return (
    <div className="grid gap-3 sm:grid-cols-[minmax(0,14rem)_minmax(0,1fr)_minmax(0,12rem)]">
      <div>
        <label htmlFor="records-resource" className={labelClasses}>
          Resource
        </label>
        <Select id="records-resource" value={filters.resource} onChange={(e) => onChange({ resource: e.target.value, ...FIRST_PAGE })}>
          <option value="">All resources ({formatTotal(all, anyCapped)})</option>
          {resources.map((r) => (
            <option key={r.resource} value={r.resource}>
              {labels.get(r.resource) ?? r.resource} ({formatTotal(r.total, r.totalCapped)})
            </option>
          ))}
          {known ? null : <option value={filters.resource}>{labels.get(filters.resource) ?? filters.resource} (0)</option>}
        </Select>
      </div>
      <div>
        <label htmlFor="records-search" className={labelClasses}>
          Search records
        </label>
        <Input
          id="records-search"
          type="search"
          value={text}
          maxLength={200}
          placeholder="External ID or any text in the record"
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor="records-deleted" className={labelClasses}>
          Deleted
        </label>
        <Select id="records-deleted" value={filters.deleted} onChange={(e) => onChange({ deleted: e.target.value as DeletedFilter, ...FIRST_PAGE })}>
          <option value="include">Include deleted</option>
          <option value="only">Only deleted</option>
          <option value="exclude">Hide deleted</option>
        </Select>
      </div>
    </div>
  );
}
