'use client';

import { Badge } from '@/components/ui/badge';
import { Select } from '@/components/ui/select';
import type { ModelFieldInfo } from '@/lib/client/mapping';
import { fieldHeading } from './source-editor';

interface TargetSelectProps {
  rowId: string;
  value: string;
  onChange: (target: string) => void;
  fields: readonly ModelFieldInfo[];
  modelLabel: string;
  /** Targets other rows already map, so a second row for one field is visibly a duplicate. */
  usedElsewhere: ReadonlySet<string>;
  invalid?: boolean;
}

/** The option text carries the markers a native <select> cannot style: type, required, taken. */
function optionText(field: ModelFieldInfo, used: boolean): string {
  return [field.label, field.type, field.required ? 'required' : null, used ? 'already mapped' : null]
    .filter(Boolean)
    .join(' · ');
}

export function TargetSelect({ rowId, value, onChange, fields, modelLabel, usedElsewhere, invalid }: TargetSelectProps) {
  const id = `${rowId}-target`;
  const field = fields.find((f) => f.name === value);
  return (
    <div className="min-w-0">
      <div className="mb-1 flex h-7 items-center">
        <label htmlFor={id} className={fieldHeading}>
          Target field
        </label>
      </div>
      <Select
        id={id}
        value={value}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint`}
        className={invalid ? 'border-red-400 dark:border-red-700' : ''}
        onChange={(event) => onChange(event.target.value)}
      >
        {field || value === '' ? null : <option value={value}>{value} (not a {modelLabel} field)</option>}
        <option value="" disabled>
          Choose a field…
        </option>
        {fields.map((f) => (
          <option key={f.name} value={f.name}>
            {optionText(f, usedElsewhere.has(f.name))}
          </option>
        ))}
      </Select>
      <div id={`${id}-hint`} className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
        {field ? (
          <>
            <code className="font-mono text-xs text-slate-600 dark:text-slate-300">{field.name}</code>
            <Badge>{field.type}</Badge>
            {field.required ? <Badge tone="accent">Required</Badge> : null}
            {usedElsewhere.has(field.name) ? <Badge tone="danger">Mapped by another row too</Badge> : null}
            {field.values ? <span className="break-words">One of {field.values.join(', ')}</span> : null}
            {field.description ? <span className="break-words">{field.description}</span> : null}
          </>
        ) : (
          <span>Which {modelLabel} field this row fills.</span>
        )}
      </div>
    </div>
  );
}
