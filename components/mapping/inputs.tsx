'use client';

import { useState } from 'react';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ScalarValue } from '@/lib/client/mapping';

export const argLabel = 'mb-1 block text-xs font-medium text-slate-600 dark:text-slate-300';

type Kind = 'text' | 'number' | 'boolean' | 'unset';
const kindOf = (value: ScalarValue | undefined): Kind =>
  value === undefined ? 'unset' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';

/**
 * Text that must read as a number. The text is kept as typed ("-", "1.") and the number is
 * passed on only once it is one, so typing is never fought.
 */
function useNumberText(value: number | undefined, onNumber: (n: number) => void) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (Number(text) !== value) setText(value === undefined ? '' : String(value));
  }
  const valid = text.trim() !== '' && Number.isFinite(Number(text));
  const onText = (next: string) => {
    setText(next);
    if (next.trim() !== '' && Number.isFinite(Number(next))) onNumber(Number(next));
  };
  return { text, valid, onText };
}

interface NumberInputProps {
  id: string;
  value: number | undefined;
  onChange: (value: number) => void;
  describedBy?: string;
}

export function NumberInput({ id, value, onChange, describedBy }: NumberInputProps) {
  const { text, valid, onText } = useNumberText(value, onChange);
  return (
    <Input
      id={id}
      inputMode="decimal"
      value={text}
      aria-invalid={!valid || undefined}
      aria-describedby={describedBy}
      onChange={(event) => onText(event.target.value)}
    />
  );
}

interface ScalarInputProps {
  id: string;
  label: string;
  value: ScalarValue | undefined;
  onChange: (value: ScalarValue | undefined) => void;
  /** May be left unset (the argument or default is then left out). */
  optional?: boolean;
  /** Values worth offering while typing text (a target field's allowed values). */
  suggestions?: readonly string[];
}

/** A constant of the mapping language: text, a number, or true/false. */
export function ScalarInput({ id, label, value, onChange, optional = false, suggestions }: ScalarInputProps) {
  const kind = kindOf(value);
  const listId = suggestions?.length ? `${id}-suggestions` : undefined;

  function changeKind(next: Kind) {
    if (next === 'unset') onChange(undefined);
    else if (next === 'boolean') onChange(value === 'false' ? false : Boolean(value));
    else if (next === 'number') onChange(Number.isFinite(Number(value)) && value !== '' ? Number(value) : 0);
    else onChange(value === undefined ? '' : String(value));
  }

  return (
    <div className="min-w-0">
      <label htmlFor={id} className={argLabel}>
        {label}
      </label>
      <div className="flex gap-2">
        <div className="min-w-0 flex-1">
          {kind === 'boolean' ? (
            <Select id={id} value={String(value)} onChange={(event) => onChange(event.target.value === 'true')}>
              <option value="true">true</option>
              <option value="false">false</option>
            </Select>
          ) : kind === 'number' ? (
            <NumberInput id={id} value={value as number} onChange={onChange} />
          ) : (
            <Input
              id={id}
              value={kind === 'unset' ? '' : String(value)}
              placeholder={kind === 'unset' ? 'Not set' : undefined}
              list={listId}
              maxLength={500}
              onChange={(event) => onChange(event.target.value)}
            />
          )}
          {listId ? (
            <datalist id={listId}>
              {suggestions!.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          ) : null}
        </div>
        <div className="w-32 shrink-0">
          <Select aria-label={`${label}: kind of value`} value={kind} onChange={(event) => changeKind(event.target.value as Kind)}>
            {optional ? <option value="unset">Not set</option> : null}
            <option value="text">Text</option>
            <option value="number">Number</option>
            <option value="boolean">True/false</option>
          </Select>
        </div>
      </div>
    </div>
  );
}

interface WordsInputProps {
  id: string;
  value: readonly (string | number | boolean)[] | undefined;
  onChange: (value: string[] | undefined) => void;
  placeholder?: string;
  describedBy?: string;
}

/** A short list typed as comma-separated words; an empty box leaves the list out. */
export function WordsInput({ id, value, onChange, placeholder, describedBy }: WordsInputProps) {
  const joined = (value ?? []).join(', ');
  const [text, setText] = useState(joined);
  const [seen, setSeen] = useState(joined);
  if (seen !== joined) {
    setSeen(joined);
    setText(joined);
  }
  return (
    <Input
      id={id}
      value={text}
      placeholder={placeholder}
      aria-describedby={describedBy}
      onChange={(event) => {
        const words = event.target.value
          .split(',')
          .map((word) => word.trim())
          .filter(Boolean);
        setText(event.target.value);
        // What the draft will hold, so the sync above does not rewrite the box mid-typing.
        setSeen(words.join(', '));
        onChange(words.length ? words : undefined);
      }}
    />
  );
}
