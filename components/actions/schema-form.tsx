'use client';

import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { humanizeKey } from '@/lib/client/connections';
import type { JsonSchema } from '@/lib/client/actions';
import {
  initialDraft,
  kindOf,
  propertiesOf,
  requiredOf,
  type Draft,
  type ExampleContext,
  type KeyValueRow,
  type ObjectDraft,
} from './schema-form-model';

interface SchemaFieldsProps {
  schema: JsonSchema;
  draft: ObjectDraft;
  onChange: (draft: ObjectDraft) => void;
  /** Field errors by dotted path (`attendee.email`), from the API's validation answer. */
  errors: ReadonlyMap<string, string>;
  idPrefix: string;
  context: ExampleContext;
  /** The dotted path of this object ('' at the top). */
  path?: string;
}

const labelClasses = 'block text-sm font-medium text-slate-700 dark:text-slate-200';
const hintClasses = 'text-xs text-slate-500 dark:text-slate-400';
const errorClasses = 'text-xs font-medium text-red-700 dark:text-red-400';

/** Constraints worth telling a person: default, range, length. */
function hintOf(schema: JsonSchema): string {
  const parts: string[] = [];
  if (typeof schema.description === 'string') parts.push(schema.description);
  if (schema.format === 'date-time') parts.push('ISO 8601 with a zone, e.g. 2027-03-01T09:00:00Z');
  if (schema.default !== undefined) parts.push(`Default ${JSON.stringify(schema.default)}`);
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number') parts.push(`${schema.minimum}–${schema.maximum}`);
  if (typeof schema.pattern === 'string' && schema.pattern.includes('[0-5]\\d$')) parts.push('HH:MM');
  return parts.join('. ');
}

/** The controls of one object's properties (recursively for nested objects). */
export function SchemaFields({ schema, draft, onChange, errors, idPrefix, context, path = '' }: SchemaFieldsProps) {
  const required = requiredOf(schema);
  const setField = (name: string, value: Draft) => onChange({ ...draft, fields: { ...draft.fields, [name]: value } });
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {propertiesOf(schema).map(([name, property]) => {
        const fieldPath = path ? `${path}.${name}` : name;
        return (
          <SchemaField
            key={name}
            name={name}
            schema={property}
            required={required.includes(name)}
            draft={draft.fields[name] ?? ''}
            onChange={(value) => setField(name, value)}
            errors={errors}
            id={`${idPrefix}-${fieldPath.replaceAll('.', '-')}`}
            path={fieldPath}
            context={context}
          />
        );
      })}
    </div>
  );
}

interface SchemaFieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  draft: Draft;
  onChange: (draft: Draft) => void;
  errors: ReadonlyMap<string, string>;
  id: string;
  path: string;
  context: ExampleContext;
}

function SchemaField({ name, schema, required, draft, onChange, errors, id, path, context }: SchemaFieldProps) {
  const kind = kindOf(schema);
  const label = typeof schema.title === 'string' ? schema.title : humanizeKey(name);
  const error = errors.get(path);
  const hint = hintOf(schema);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const marker = required ? (
    <span className="text-red-600 dark:text-red-400" aria-hidden="true">
      {' '}
      *
    </span>
  ) : null;
  const footer = (
    <>
      {hint ? (
        <p id={`${id}-hint`} className={hintClasses}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className={errorClasses}>
          {error}
        </p>
      ) : null}
    </>
  );

  if (kind === 'object') {
    const object = draft as ObjectDraft;
    return (
      <fieldset className="space-y-3 rounded-lg border border-slate-200 p-4 sm:col-span-2 dark:border-slate-700">
        <legend className="px-1 text-sm font-medium text-slate-700 dark:text-slate-200">
          {label}
          {marker}
        </legend>
        {required ? null : (
          <label className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
            <input
              type="checkbox"
              className="size-4 rounded border-slate-300 accent-indigo-600"
              checked={object.included}
              onChange={(event) => onChange(event.target.checked ? initialDraft(schema, context, true) : { ...object, included: false })}
            />
            Include {label.toLowerCase()}
          </label>
        )}
        {object.included ? (
          <SchemaFields schema={schema} draft={object} onChange={onChange} errors={errors} idPrefix={id} context={context} path={path} />
        ) : null}
        {footer}
      </fieldset>
    );
  }

  if (kind === 'keyvalue') {
    const rows = draft as KeyValueRow[];
    const setRow = (index: number, row: KeyValueRow) => onChange(rows.map((r, i) => (i === index ? row : r)));
    return (
      <fieldset className="space-y-2 sm:col-span-2">
        <legend className={labelClasses}>
          {label}
          {marker}
        </legend>
        <p className={hintClasses}>Provider-specific keys (each provider documents the ones it reads). Values: text, a number, true/false, or a JSON list.</p>
        {rows.map((row, index) => (
          <div key={index} className="flex items-center gap-2">
            <Input aria-label={`${label} key ${index + 1}`} placeholder="key" value={row.key} onChange={(e) => setRow(index, { ...row, key: e.target.value })} />
            <Input aria-label={`${label} value ${index + 1}`} placeholder="value" value={row.value} onChange={(e) => setRow(index, { ...row, value: e.target.value })} />
            <Button variant="ghost" size="sm" aria-label={`Remove ${label.toLowerCase()} row ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              Remove
            </Button>
          </div>
        ))}
        <Button variant="secondary" size="sm" onClick={() => onChange([...rows, { key: '', value: '' }])}>
          Add {label.toLowerCase()} row
        </Button>
        {footer}
      </fieldset>
    );
  }

  if (kind === 'intset') {
    const items = schema.items as { minimum: number; maximum: number };
    const values = draft as number[];
    const choices = Array.from({ length: items.maximum - items.minimum + 1 }, (_, i) => items.minimum + i);
    return (
      <fieldset className="space-y-1.5 sm:col-span-2">
        <legend className={labelClasses}>
          {label}
          {marker}
        </legend>
        <div className="flex flex-wrap gap-3">
          {choices.map((choice) => (
            <label key={choice} className="flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
              <input
                type="checkbox"
                className="size-4 rounded border-slate-300 accent-indigo-600"
                checked={values.includes(choice)}
                onChange={(event) => onChange(event.target.checked ? [...values, choice] : values.filter((v) => v !== choice))}
              />
              {choice}
            </label>
          ))}
        </div>
        {footer}
      </fieldset>
    );
  }

  const text = draft as string;
  let control;
  if (kind === 'enum') {
    control = (
      <Select id={id} value={text} aria-required={required} aria-describedby={describedBy} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.value)}>
        {required ? null : <option value="">—</option>}
        {(schema.enum as string[]).map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </Select>
    );
  } else if (kind === 'boolean') {
    control = (
      <Select id={id} value={text} aria-describedby={describedBy} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.value)}>
        <option value="">{schema.default === undefined ? '—' : `Default (${String(schema.default)})`}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </Select>
    );
  } else if (kind === 'json') {
    control = (
      <textarea
        id={id}
        rows={3}
        value={text}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
        className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-xs text-slate-900 shadow-sm dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
      />
    );
  } else {
    const numeric = kind === 'integer' || kind === 'number';
    control = (
      <Input
        id={id}
        type={kind === 'email' ? 'email' : 'text'}
        inputMode={numeric ? (kind === 'integer' ? 'numeric' : 'decimal') : undefined}
        value={text}
        aria-required={required}
        autoComplete="off"
        spellCheck={false}
        placeholder={schema.default !== undefined ? String(schema.default) : undefined}
        className={kind === 'datetime' ? 'font-mono' : ''}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className={labelClasses}>
        {label}
        {marker}
        <code aria-hidden="true" className="ml-1.5 font-mono text-xs font-normal text-slate-500 dark:text-slate-400">
          {name}
        </code>
      </label>
      {control}
      {footer}
    </div>
  );
}
