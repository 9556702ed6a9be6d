'use client';

import { focusRing } from '@/components/ui/focus-ring';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ScalarValue } from '@/lib/client/mapping';
import type { ArgContext, LooseStep } from './arg-types';
import { argLabel, NumberInput, ScalarInput, WordsInput } from './inputs';
import { LookupTable } from './lookup-table';
import { AddMinutesArgs, PickArgs } from './special-args';
import { PathList } from './path-list';
import type { ArgSpec, StepSpec } from './step-specs';

interface StepArgsProps extends ArgContext {
  id: string;
  spec: StepSpec | undefined;
  step: LooseStep;
  onChange: (step: LooseStep) => void;
}

/** An argument left empty is left out, so the language's own default applies. */
function withArg(step: LooseStep, name: string, value: unknown): LooseStep {
  const next = { ...step };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

export function StepArgs({ id, spec, step, onChange, ...context }: StepArgsProps) {
  if (step.op === 'addMinutes') return <AddMinutesArgs id={id} step={step} onChange={onChange} {...context} />;
  if (step.op === 'pick') return <PickArgs id={id} step={step} onChange={onChange} />;
  if (!spec || spec.args.length === 0) return null;
  const flags = spec.args.filter((a) => a.kind === 'flag');
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {spec.args
        .filter((a) => a.kind !== 'flag')
        .map((arg) => (
          <div key={arg.name} className={arg.kind === 'table' || arg.kind === 'paths' ? 'sm:col-span-2' : 'min-w-0'}>
            <ArgControl id={`${id}-${arg.name}`} arg={arg} value={step[arg.name]} onChange={(value) => onChange(withArg(step, arg.name, value))} {...context} />
          </div>
        ))}
      {flags.length ? (
        <div className="flex flex-wrap gap-x-5 gap-y-2 sm:col-span-2">
          {flags.map((arg) => (
            <label key={arg.name} className="inline-flex items-center gap-2 text-sm text-slate-800 dark:text-slate-200">
              <input
                type="checkbox"
                checked={typeof step[arg.name] === 'boolean' ? (step[arg.name] as boolean) : arg.kind === 'flag' && arg.initial}
                onChange={(event) => onChange(withArg(step, arg.name, event.target.checked))}
                className={`size-4 rounded border-slate-300 accent-indigo-600 dark:border-slate-600 dark:accent-indigo-400 ${focusRing}`}
              />
              {arg.label}
            </label>
          ))}
        </div>
      ) : null}
    </div>
  );
}

interface ArgControlProps extends ArgContext {
  id: string;
  arg: ArgSpec;
  value: unknown;
  onChange: (value: unknown) => void;
}

function ArgControl({ id, arg, value, onChange, fields, sampleSize, targetValues }: ArgControlProps) {
  const label = (
    <label htmlFor={id} className={argLabel}>
      {arg.label}
      {'optional' in arg && arg.optional ? <span className="font-normal text-slate-500 dark:text-slate-400"> (optional)</span> : null}
    </label>
  );
  switch (arg.kind) {
    case 'choice':
      return (
        <>
          {label}
          <Select id={id} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value || undefined)}>
            {arg.optional || typeof value !== 'string' ? <option value="">Not set</option> : null}
            {arg.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </>
      );
    case 'text':
    case 'path': {
      const listId = arg.kind === 'text' && arg.suggestions ? `${id}-suggestions` : undefined;
      return (
        <>
          {label}
          <Input
            id={id}
            value={typeof value === 'string' ? value : ''}
            placeholder={arg.kind === 'text' ? arg.placeholder : 'e.g. value or items[0].id'}
            className={arg.kind === 'path' || arg.code ? 'font-mono text-[13px]' : ''}
            list={listId}
            spellCheck={false}
            maxLength={500}
            onChange={(event) => onChange(arg.kind === 'text' && arg.optional && event.target.value === '' ? undefined : event.target.value)}
          />
          {listId && arg.kind === 'text' ? (
            <datalist id={listId}>
              {arg.suggestions!.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          ) : null}
        </>
      );
    }
    case 'number':
      return (
        <>
          {label}
          <NumberInput id={id} value={typeof value === 'number' ? value : undefined} onChange={onChange} />
        </>
      );
    case 'scalar':
      return <ScalarInput id={id} label={arg.label} value={value as ScalarValue | undefined} onChange={onChange} optional={arg.optional} suggestions={targetValues} />;
    case 'words':
      return (
        <>
          {label}
          <WordsInput id={id} value={Array.isArray(value) ? value : undefined} placeholder={arg.placeholder} onChange={(words) => onChange(words ?? (arg.optional ? undefined : []))} />
        </>
      );
    case 'paths':
      return <PathList id={id} label={arg.label} paths={Array.isArray(value) ? (value as string[]) : ['']} onChange={onChange} fields={fields} sampleSize={sampleSize} />;
    case 'table':
      return <LookupTable id={id} label={arg.label} table={(value ?? {}) as Record<string, ScalarValue>} onChange={onChange} suggestions={targetValues} />;
    case 'flag':
      return null;
  }
}
