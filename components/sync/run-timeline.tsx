'use client';

import { Fragment, useState } from 'react';
import { Button } from '@/components/ui/button';
import { MODE_LABELS, RUN_STATUS_LABELS, type SyncStep } from '@/lib/client/sync';

/** The engine keeps the latest 200 steps of a run (lib/sync/runs.ts); the counters hold the totals. */
const MAX_STEPS = 200;
/** Longer timelines show their start and end until asked for the rest. */
const HEAD = 4;
const TAIL = 12;

const DOT: Record<string, string> = {
  failed: 'bg-red-500 dark:bg-red-400',
  finished: 'bg-emerald-500 dark:bg-emerald-400',
  cursor_expired: 'bg-amber-500 dark:bg-amber-400',
  page: 'bg-indigo-500 dark:bg-indigo-400',
  started: 'bg-indigo-500 dark:bg-indigo-400',
};

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function StepText({ step, label }: { step: SyncStep; label: (id: string | undefined) => string }) {
  switch (step.kind) {
    case 'started':
      return <>Started{step.resources?.length ? ` — ${step.resources.map(label).join(', ')}` : ''}</>;
    case 'page':
      return (
        <>
          <span className="font-medium text-slate-900 dark:text-slate-100">{label(step.resource)}</span>
          {` · ${step.listing ? MODE_LABELS[step.listing].toLowerCase() : ''} listing · page ${step.page ?? '?'}`}
          <span className="block text-xs text-slate-500 dark:text-slate-400">
            {[
              `${step.fetched ?? 0} fetched`,
              `${step.created ?? 0} created`,
              `${step.updated ?? 0} updated`,
              `${step.unchanged ?? 0} unchanged`,
              `${step.deleted ?? 0} deleted`,
            ].join(', ')}
          </span>
        </>
      );
    case 'cursor_expired':
      return (
        <>
          {label(step.resource)}: the saved sync position expired, so it is read again in full.
          {step.detail ? <span className="block text-xs break-words text-slate-500 dark:text-slate-400">{step.detail}</span> : null}
        </>
      );
    case 'finished':
      return <>Finished: {step.status ? RUN_STATUS_LABELS[step.status].toLowerCase() : 'done'}</>;
    case 'failed':
      return <span className="break-words text-red-700 dark:text-red-400">Failed: {step.reason ?? 'no reason recorded'}</span>;
    default:
      return <>{String((step as { kind: unknown }).kind)}</>;
  }
}

interface RunTimelineProps {
  steps: SyncStep[];
  /** Resource id → label, from the provider catalog. */
  labels: Map<string, string>;
}

export function RunTimeline({ steps, labels }: RunTimelineProps) {
  const [expanded, setExpanded] = useState(false);
  const label = (id: string | undefined) => (id ? (labels.get(id) ?? id) : 'Unknown resource');
  const collapsible = steps.length > HEAD + TAIL + 4;
  const hidden = collapsible && !expanded ? steps.length - HEAD - TAIL : 0;
  const shown = hidden ? [...steps.slice(0, HEAD), ...steps.slice(-TAIL)] : steps;
  if (steps.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No steps yet: the run has not started.</p>;
  }
  return (
    <>
      {steps.length >= MAX_STEPS ? (
        <p className="mb-3 text-xs text-slate-500 dark:text-slate-400">
          Showing the latest {MAX_STEPS} steps; the totals above count every page.
        </p>
      ) : null}
      <ol className="relative space-y-3 border-l border-slate-200 pl-5 dark:border-slate-700">
        {shown.map((step, index) => (
          <Fragment key={`${step.at}-${index}`}>
            {hidden && index === HEAD ? (
              <li className="text-xs text-slate-500 italic dark:text-slate-400">
                … {hidden} more {hidden === 1 ? 'step' : 'steps'}
              </li>
            ) : null}
            <li className="relative text-sm text-slate-700 dark:text-slate-300">
              <span
                aria-hidden="true"
                className={`absolute top-1.5 -left-[calc(1.5rem+0.5px)] size-2 rounded-full ring-4 ring-white dark:ring-slate-900 ${DOT[step.kind] ?? DOT.page}`}
              />
              <time dateTime={step.at} className="mr-2 font-mono text-xs text-slate-500 tabular-nums dark:text-slate-400">
                {time(step.at)}
              </time>
              <StepText step={step} label={label} />
            </li>
          </Fragment>
        ))}
      </ol>
      {collapsible ? (
        <Button variant="secondary" size="sm" className="mt-4" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show fewer steps' : `Show all ${steps.length} steps`}
        </Button>
      ) : null}
    </>
  );
}
