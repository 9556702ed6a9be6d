'use client';

import { useId, useState, type KeyboardEvent } from 'react';
import { controlClasses } from '@/components/ui/input';
import type { SourceFieldInfo } from '@/lib/client/mapping';
import { CheckIcon } from '@/components/ui/icons';
import { ChevronDownIcon } from './icons';
import { sampleText } from './values';

interface PathComboboxProps {
  id: string;
  value: string;
  onChange: (path: string) => void;
  fields: readonly SourceFieldInfo[];
  sampleSize: number;
  describedBy?: string;
  invalid?: boolean;
  placeholder?: string;
}

const MAX_OPTIONS = 60;

/**
 * A text box for a record path with a list of the paths seen in recent records (ARIA 1.2
 * combobox): type any path, or pick one with the arrow keys and Enter, or with the pointer.
 */
export function PathCombobox({ id, value, onChange, fields, sampleSize, describedBy, invalid, placeholder = 'e.g. properties.email' }: PathComboboxProps) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  // null: show every field (opened with the arrow); text: filter by what was typed.
  const [filter, setFilter] = useState<string | null>(null);
  const [active, setActive] = useState(-1);

  const needle = filter?.trim().toLowerCase() ?? '';
  const options = (needle ? fields.filter((f) => f.path.toLowerCase().includes(needle)) : fields).slice(0, MAX_OPTIONS);
  const optionId = (index: number) => `${listId}-option-${index}`;

  function show(index: number) {
    setActive(index);
    // The list scrolls with the highlighted option; focus stays in the text box.
    requestAnimationFrame(() => document.getElementById(optionId(index))?.scrollIntoView({ block: 'nearest' }));
  }

  function choose(path: string) {
    onChange(path);
    setOpen(false);
    setFilter(null);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setFilter(null);
        show(Math.max(0, fields.findIndex((f) => f.path === value)));
        return;
      }
      if (options.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      show((active + step + options.length) % options.length);
    } else if (event.key === 'Enter' && open && active >= 0 && options[active]) {
      event.preventDefault();
      choose(options[active].path);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  }

  const expanded = open && options.length > 0;
  return (
    <div className="relative">
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        placeholder={placeholder}
        value={value}
        maxLength={200}
        className={`${controlClasses} pr-9 font-mono text-[13px] ${invalid ? 'border-red-400 dark:border-red-700' : ''}`}
        onChange={(event) => {
          onChange(event.target.value);
          setFilter(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <button
        type="button"
        tabIndex={-1}
        aria-hidden="true"
        className="absolute inset-y-0 right-0 flex w-9 items-center justify-center text-slate-400 hover:text-slate-600 dark:hover:text-slate-200"
        // Keeps focus in the text box, so opening the list does not blur (and close) it.
        onMouseDown={(event) => {
          event.preventDefault();
          document.getElementById(id)?.focus();
          setFilter(null);
          setOpen(!open);
        }}
      >
        <ChevronDownIcon />
      </button>
      <ul
        id={listId}
        role="listbox"
        aria-label="Fields seen in recent records"
        hidden={!expanded}
        className="absolute top-full left-0 z-30 mt-1 max-h-72 w-max max-w-[min(28rem,calc(100vw-2rem))] min-w-full overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        {options.map((field, index) => (
          <li
            key={field.path}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            className={`cursor-default rounded-md px-2 py-1.5 text-sm ${index === active ? 'bg-indigo-50 dark:bg-indigo-950/70' : ''}`}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(field.path);
            }}
            onMouseMove={() => setActive(index)}
          >
            <span className="flex flex-wrap items-baseline justify-between gap-x-3">
              <code className="font-mono text-[13px] break-all text-slate-900 dark:text-slate-100">
                {field.path}
                {field.path === value ? <CheckIcon className="ml-1 inline size-3.5 text-indigo-600 dark:text-indigo-400" /> : null}
              </code>
              <span className="text-xs whitespace-nowrap text-slate-500 dark:text-slate-400">
                {field.types.join(' | ')} · in {field.count} of {sampleSize}
              </span>
            </span>
            {field.sample !== undefined ? (
              <span className="mt-0.5 block truncate text-xs text-slate-500 dark:text-slate-400">e.g. {sampleText(field.sample)}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
