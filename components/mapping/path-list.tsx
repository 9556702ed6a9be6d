'use client';

import { Button } from '@/components/ui/button';
import type { SourceFieldInfo } from '@/lib/client/mapping';
import { TrashIcon } from './icons';
import { argLabel } from './inputs';
import { PathCombobox } from './path-combobox';

interface PathListProps {
  id: string;
  /** Names the list for assistive technology, e.g. "Fields to try, in order". */
  label: string;
  paths: readonly string[];
  onChange: (paths: string[]) => void;
  fields: readonly SourceFieldInfo[];
  sampleSize: number;
}

const MAX_PATHS = 10;

/** Several record paths (coalesce and concat): each a path box, added and removed one by one. */
export function PathList({ id, label, paths, onChange, fields, sampleSize }: PathListProps) {
  return (
    <fieldset className="min-w-0 space-y-2">
      <legend className={argLabel}>{label}</legend>
      <ol className="space-y-2">
        {paths.map((path, index) => (
          <li key={index} className="flex items-end gap-2">
            <div className="min-w-0 flex-1">
              <label htmlFor={`${id}-${index}`} className="sr-only">
                Field {index + 1}
              </label>
              <PathCombobox
                id={`${id}-${index}`}
                value={path}
                fields={fields}
                sampleSize={sampleSize}
                onChange={(next) => onChange(paths.map((p, i) => (i === index ? next : p)))}
              />
            </div>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove field ${index + 1}`}
              disabled={paths.length <= 1}
              onClick={() => onChange(paths.filter((_, i) => i !== index))}
            >
              <TrashIcon />
            </Button>
          </li>
        ))}
      </ol>
      {paths.length < MAX_PATHS ? (
        <Button variant="secondary" size="sm" onClick={() => onChange([...paths, ''])}>
          Add a field
        </Button>
      ) : null}
    </fieldset>
  );
}
