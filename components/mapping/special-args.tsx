'use client';

// The two transforms whose arguments are a choice between alternatives (exactly one of two keys),
// edited as "which kind" plus the inputs of that kind.
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ScalarValue } from '@/lib/client/mapping';
import { argLabel, NumberInput, ScalarInput } from './inputs';
import { PathCombobox } from './path-combobox';
import type { ArgContext, LooseStep } from './arg-types';

/** addMinutes takes exactly one of a fixed number and a field holding the number. */
export function AddMinutesArgs({ id, step, onChange, fields, sampleSize }: { id: string; step: LooseStep; onChange: (step: LooseStep) => void } & ArgContext) {
  const fromField = typeof step.path === 'string';
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-from`} className={argLabel}>
          Minutes come from
        </label>
        <Select id={`${id}-from`} value={fromField ? 'path' : 'fixed'} onChange={(event) => onChange(event.target.value === 'path' ? { op: 'addMinutes', path: '' } : { op: 'addMinutes', minutes: 30 })}>
          <option value="fixed">A fixed number</option>
          <option value="path">A field of the record</option>
        </Select>
      </div>
      <div className="min-w-0">
        <label htmlFor={`${id}-amount`} className={argLabel}>
          {fromField ? 'Field with the minutes' : 'Minutes'}
        </label>
        {fromField ? (
          <PathCombobox id={`${id}-amount`} value={step.path as string} onChange={(path) => onChange({ op: 'addMinutes', path })} fields={fields} sampleSize={sampleSize} />
        ) : (
          <NumberInput id={`${id}-amount`} value={typeof step.minutes === 'number' ? step.minutes : undefined} onChange={(minutes) => onChange({ op: 'addMinutes', minutes })} />
        )}
      </div>
    </div>
  );
}

type PickMode = 'first' | 'last' | 'index' | 'where';

/** pick takes exactly one of an item (first, last or a position) and a where-clause. */
export function PickArgs({ id, step, onChange }: { id: string; step: LooseStep; onChange: (step: LooseStep) => void }) {
  const where = step.where as { path: string; equals: ScalarValue } | undefined;
  const mode: PickMode = where ? 'where' : typeof step.item === 'number' ? 'index' : step.item === 'last' ? 'last' : 'first';
  const modes: Record<PickMode, LooseStep> = {
    first: { op: 'pick', item: 'first' },
    last: { op: 'pick', item: 'last' },
    index: { op: 'pick', item: 0 },
    where: { op: 'pick', where: { path: '', equals: '' } },
  };
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-mode`} className={argLabel}>
          Which item
        </label>
        <Select id={`${id}-mode`} value={mode} onChange={(event) => onChange(modes[event.target.value as PickMode])}>
          <option value="first">The first</option>
          <option value="last">The last</option>
          <option value="index">By position</option>
          <option value="where">The first where a field equals…</option>
        </Select>
      </div>
      {mode === 'index' ? (
        <div>
          <label htmlFor={`${id}-item`} className={argLabel}>
            Position (0 is the first, -1 the last)
          </label>
          <NumberInput id={`${id}-item`} value={step.item as number} onChange={(item) => onChange({ op: 'pick', item: Math.trunc(item) })} />
        </div>
      ) : null}
      {where ? (
        <>
          <div className="min-w-0">
            <label htmlFor={`${id}-where-path`} className={argLabel}>
              Field of the item
            </label>
            <Input id={`${id}-where-path`} className="font-mono text-[13px]" value={where.path} spellCheck={false} onChange={(event) => onChange({ op: 'pick', where: { ...where, path: event.target.value } })} />
          </div>
          <ScalarInput id={`${id}-where-equals`} label="Equals" value={where.equals} onChange={(equals) => onChange({ op: 'pick', where: { ...where, equals: equals ?? '' } })} />
        </>
      ) : null}
    </div>
  );
}
