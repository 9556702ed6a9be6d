'use client';

import { Button } from '@/components/ui/button';
import { PlusIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { FILTER_OP_LABELS, filterTakesValue, type PushFilter } from '@/lib/client/push';
import type { ModelField } from '@/lib/mapping/model';

interface PushFiltersProps {
  filters: PushFilter[];
  onChange: (filters: PushFilter[]) => void;
  fields: readonly ModelField[];
  modelLabel: string;
}

/** "is one of" is typed as a comma-separated list; the contract takes an array. */
const valueText = (value: PushFilter['value']) => (Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value));

function valueFor(op: PushFilter['op'], text: string): PushFilter['value'] {
  if (!filterTakesValue(op)) return undefined;
  if (op === 'in') return text.split(',').map((v) => v.trim()).filter(Boolean);
  return text;
}

const smallLabel = 'mb-1 block text-xs font-medium text-slate-600 dark:text-slate-400';

export function PushFilters({ filters, onChange, fields, modelLabel }: PushFiltersProps) {
  const update = (index: number, change: Partial<PushFilter>) =>
    onChange(filters.map((filter, i) => (i === index ? { ...filter, ...change } : filter)));

  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Filters</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Only {modelLabel} records matching every condition are pushed. No conditions: all of them.
      </p>
      {filters.length ? (
        <ol className="space-y-2">
          {filters.map((filter, index) => {
            const id = `push-filter-${index}`;
            return (
              <li key={index} className="grid gap-2 rounded-lg border border-slate-200 p-3 sm:grid-cols-[1fr_9rem_1fr_auto] sm:items-end dark:border-slate-800">
                <div>
                  <label htmlFor={`${id}-field`} className={smallLabel}>
                    Field
                  </label>
                  <Select id={`${id}-field`} value={filter.field} onChange={(e) => update(index, { field: e.target.value })}>
                    {fields.map((f) => (
                      <option key={f.name} value={f.name}>
                        {f.label}
                      </option>
                    ))}
                  </Select>
                </div>
                <div>
                  <label htmlFor={`${id}-op`} className={smallLabel}>
                    Condition
                  </label>
                  <Select
                    id={`${id}-op`}
                    value={filter.op}
                    onChange={(e) => {
                      const op = e.target.value as PushFilter['op'];
                      update(index, { op, value: valueFor(op, valueText(filter.value)) });
                    }}
                  >
                    {Object.entries(FILTER_OP_LABELS).map(([op, label]) => (
                      <option key={op} value={op}>
                        {label}
                      </option>
                    ))}
                  </Select>
                </div>
                <div>
                  <label htmlFor={`${id}-value`} className={smallLabel}>
                    {filter.op === 'in' ? 'Values, separated by commas' : 'Value'}
                  </label>
                  <Input
                    id={`${id}-value`}
                    value={valueText(filter.value)}
                    disabled={!filterTakesValue(filter.op)}
                    onChange={(e) => update(index, { value: valueFor(filter.op, e.target.value) })}
                    placeholder={filterTakesValue(filter.op) ? (fields.find((f) => f.name === filter.field)?.values?.[0] ?? '') : 'No value needed'}
                  />
                </div>
                <Button variant="dangerGhost" size="sm" onClick={() => onChange(filters.filter((_, i) => i !== index))}>
                  Remove<span className="sr-only"> condition {index + 1}</span>
                </Button>
              </li>
            );
          })}
        </ol>
      ) : null}
      <Button
        variant="secondary"
        size="sm"
        disabled={filters.length >= 20 || fields.length === 0}
        onClick={() => onChange([...filters, { field: fields[0]?.name ?? '', op: 'equals', value: '' }])}
      >
        <PlusIcon className="size-4" />
        Add condition
      </Button>
    </fieldset>
  );
}
