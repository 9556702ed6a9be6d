'use client';

import { focusRing } from '@/components/ui/focus-ring';
import { Input } from '@/components/ui/input';
import type { DraftSource, SourceFieldInfo } from '@/lib/client/mapping';
import { argLabel, ScalarInput } from './inputs';
import { PathCombobox } from './path-combobox';
import { PathList } from './path-list';
import { sampleText } from './values';

/** The small label line above a row's source and target controls (both the same height, so the controls line up). */
export const fieldHeading = 'text-xs font-medium text-slate-600 dark:text-slate-300';
const compactSelect = `h-7 min-w-0 rounded-md border border-slate-300 bg-white pr-7 pl-2 text-xs text-slate-800 shadow-sm dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 ${focusRing}`;

type SourceKind = 'path' | 'coalesce' | 'concat' | 'const';

export const SOURCE_KINDS: { value: SourceKind; label: string }[] = [
  { value: 'path', label: 'A field' },
  { value: 'coalesce', label: 'First non-empty of' },
  { value: 'concat', label: 'Fields joined' },
  { value: 'const', label: 'A fixed value' },
];

export function sourceKind(source: DraftSource): SourceKind {
  if (typeof source === 'string') return 'path';
  if ('coalesce' in source) return 'coalesce';
  if ('concat' in source) return 'concat';
  return 'const';
}

/** The record paths a source reads, in order. */
export function sourcePaths(source: DraftSource): string[] {
  if (typeof source === 'string') return [source];
  if ('coalesce' in source) return source.coalesce;
  if ('concat' in source) return source.concat;
  return [];
}

function convert(source: DraftSource, kind: SourceKind): DraftSource {
  const paths = sourcePaths(source).filter(Boolean);
  switch (kind) {
    case 'path':
      return paths[0] ?? '';
    case 'coalesce':
      return { coalesce: paths.length ? paths : [''] };
    case 'concat':
      return { concat: paths.length ? paths : [''], separator: ' ' };
    case 'const':
      return { const: '' };
  }
}

interface SourceEditorProps {
  rowId: string;
  source: DraftSource;
  onChange: (source: DraftSource) => void;
  fields: readonly SourceFieldInfo[];
  sampleSize: number;
  invalid?: boolean;
}

export function SourceEditor({ rowId, source, onChange, fields, sampleSize, invalid }: SourceEditorProps) {
  const kind = sourceKind(source);
  const id = `${rowId}-source`;
  const seen = typeof source === 'string' ? fields.find((f) => f.path === source) : undefined;

  return (
    <div className="min-w-0">
      <div className="mb-1 flex h-7 items-center justify-between gap-2">
        <label htmlFor={`${id}-kind`} className={fieldHeading}>
          Source
        </label>
        <select id={`${id}-kind`} className={compactSelect} value={kind} onChange={(event) => onChange(convert(source, event.target.value as SourceKind))}>
          {SOURCE_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      {typeof source === 'string' ? (
        <div>
          <label htmlFor={`${id}-path`} className="sr-only">
            Source field
          </label>
          <PathCombobox
            id={`${id}-path`}
            value={source}
            onChange={onChange}
            fields={fields}
            sampleSize={sampleSize}
            invalid={invalid}
            describedBy={`${id}-hint`}
          />
          <p id={`${id}-hint`} className="mt-1 text-xs break-words text-slate-500 dark:text-slate-400">
            {seen
              ? `${seen.types.join(' | ')} · in ${seen.count} of ${sampleSize} recent records${seen.sample !== undefined ? ` · e.g. ${sampleText(seen.sample)}` : ''}`
              : source
                ? 'Not seen in recent records.'
                : 'Pick a field, or type a path such as properties.email or items[0].id.'}
          </p>
        </div>
      ) : 'coalesce' in source ? (
        <PathList id={`${id}-coalesce`} label="Fields to try, in order" paths={source.coalesce} onChange={(coalesce) => onChange({ coalesce })} fields={fields} sampleSize={sampleSize} />
      ) : 'concat' in source ? (
        <div className="space-y-3">
          <PathList id={`${id}-concat`} label="Fields to join" paths={source.concat} onChange={(concat) => onChange({ ...source, concat })} fields={fields} sampleSize={sampleSize} />
          <div className="max-w-48">
            <label htmlFor={`${id}-separator`} className={argLabel}>
              Separator
            </label>
            <Input
              id={`${id}-separator`}
              className="font-mono"
              value={source.separator ?? ' '}
              maxLength={20}
              aria-describedby={`${id}-separator-hint`}
              onChange={(event) => onChange({ ...source, separator: event.target.value })}
            />
            <p id={`${id}-separator-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              Joined with {JSON.stringify(source.separator ?? ' ')}
            </p>
          </div>
        </div>
      ) : (
        <ScalarInput id={`${id}-const`} label="Fixed value" value={source.const} onChange={(value) => onChange({ const: value ?? '' })} />
      )}
    </div>
  );
}
