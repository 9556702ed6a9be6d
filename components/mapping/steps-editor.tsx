'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { PlusIcon } from '@/components/ui/icons';
import { ArrowDownIcon, ArrowUpIcon, ErrorIcon, TrashIcon } from './icons';
import type { ArgContext, LooseStep } from './arg-types';
import { StepArgs } from './step-args';
import type { StepSpec } from './step-specs';

interface StepsEditorProps extends ArgContext {
  id: string;
  /** "transform" or "check": the words on buttons and in announcements. */
  noun: 'transform' | 'check';
  /** The key naming a step's kind: `op` for transforms, `rule` for validations. */
  kindKey: 'op' | 'rule';
  steps: readonly LooseStep[];
  onChange: (steps: LooseStep[]) => void;
  /** Kinds the server accepts, in its order. */
  kinds: readonly string[];
  specs: Record<string, StepSpec>;
  create: (kind: string) => LooseStep;
  problems: ReadonlyMap<number, string[]>;
  max: number;
}

export const menuItemClasses =
  'flex cursor-default flex-col items-start rounded-md px-2 py-1.5 text-sm text-slate-800 outline-none select-none data-[highlighted]:bg-slate-100 dark:text-slate-200 dark:data-[highlighted]:bg-slate-800';
export const menuClasses =
  'z-50 max-h-[min(24rem,var(--radix-dropdown-menu-content-available-height))] w-72 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900';

/** An ordered list of steps with arguments: add from a menu, move up and down, remove. */
export function StepsEditor({ id, noun, kindKey, steps, onChange, kinds, specs, create, problems, max, ...context }: StepsEditorProps) {
  const [announcement, setAnnouncement] = useState('');
  const labelOf = (step: LooseStep) => specs[String(step[kindKey])]?.label ?? String(step[kindKey]);

  function move(index: number, by: -1 | 1) {
    const to = index + by;
    const next = [...steps];
    [next[index], next[to]] = [next[to], next[index]];
    onChange(next);
    setAnnouncement(`Moved ${labelOf(steps[index])} to position ${to + 1} of ${steps.length}.`);
    // The moved step's buttons are new elements at its new position: keep the keyboard on it.
    const direction = by === -1 ? (to === 0 ? 'down' : 'up') : to === steps.length - 1 ? 'up' : 'down';
    requestAnimationFrame(() => document.getElementById(`${id}-${to}-${direction}`)?.focus());
  }

  function remove(index: number) {
    onChange(steps.filter((_, i) => i !== index));
    setAnnouncement(`Removed ${labelOf(steps[index])}.`);
    requestAnimationFrame(() => document.getElementById(`${id}-add`)?.focus());
  }

  return (
    <div className="space-y-2">
      {steps.length ? (
        <ol className="space-y-2">
          {steps.map((step, index) => {
            const kind = String(step[kindKey]);
            const spec = specs[kind];
            const stepProblems = problems.get(index) ?? [];
            const name = `${noun} ${index + 1}, ${labelOf(step)}`;
            return (
              <li
                key={index}
                aria-label={name}
                className={`rounded-md border bg-white p-3 dark:bg-slate-900 ${stepProblems.length ? 'border-red-300 dark:border-red-800' : 'border-slate-200 dark:border-slate-700'}`}
              >
                <div className="flex items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="text-sm font-medium text-slate-900 dark:text-slate-100">
                      <span className="mr-1.5 text-slate-500 tabular-nums dark:text-slate-400">{index + 1}.</span>
                      {labelOf(step)}
                    </p>
                    {spec ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{spec.help}</p> : null}
                  </div>
                  <div className="flex shrink-0 gap-0.5">
                    <Button id={`${id}-${index}-up`} variant="ghost" size="icon" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                      <ArrowUpIcon />
                    </Button>
                    <Button id={`${id}-${index}-down`} variant="ghost" size="icon" aria-label={`Move ${name} down`} disabled={index === steps.length - 1} onClick={() => move(index, 1)}>
                      <ArrowDownIcon />
                    </Button>
                    <Button variant="dangerGhost" size="icon" aria-label={`Remove ${name}`} onClick={() => remove(index)}>
                      <TrashIcon />
                    </Button>
                  </div>
                </div>
                <div className="mt-2 empty:hidden">
                  <StepArgs id={`${id}-${index}`} spec={spec} step={step} onChange={(changed) => onChange(steps.map((s, i) => (i === index ? changed : s)))} {...context} />
                </div>
                {stepProblems.length ? (
                  <ul className="mt-2 space-y-1">
                    {stepProblems.map((text) => (
                      <li key={text} className="flex gap-1.5 text-xs text-red-700 dark:text-red-400">
                        <ErrorIcon className="mt-px size-3.5 shrink-0" />
                        {text}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      <p role="status" className="sr-only">
        {announcement}
      </p>
      {steps.length < max ? (
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button id={`${id}-add`} variant="secondary" size="sm">
              <PlusIcon className="size-4" />
              Add {noun}
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="start" sideOffset={4} collisionPadding={8} className={menuClasses}>
              {kinds.map((kind) => (
                <DropdownMenu.Item
                  key={kind}
                  className={menuItemClasses}
                  onSelect={() => {
                    onChange([...steps, create(kind)]);
                    setAnnouncement(`Added ${specs[kind]?.label ?? kind} as ${noun} ${steps.length + 1}.`);
                  }}
                >
                  <span className="font-medium">{specs[kind]?.label ?? kind}</span>
                  {specs[kind] ? <span className="text-xs text-slate-500 dark:text-slate-400">{specs[kind].help}</span> : null}
                </DropdownMenu.Item>
              ))}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      ) : null}
    </div>
  );
}
