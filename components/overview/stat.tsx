import type { ReactNode } from 'react';

/** One number with its label, inside a <dl>; `tone` colours the number when it is bad news. */
export function Stat({ label, value, hint, tone = 'plain' }: { label: string; value: ReactNode; hint?: ReactNode; tone?: 'plain' | 'good' | 'warn' | 'bad' }) {
  const colour = {
    plain: 'text-slate-900 dark:text-slate-50',
    good: 'text-emerald-700 dark:text-emerald-300',
    warn: 'text-amber-800 dark:text-amber-300',
    bad: 'text-red-700 dark:text-red-300',
  }[tone];
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={`mt-1 text-2xl font-semibold tracking-tight tabular-nums ${colour}`}>{value}</dd>
      {hint ? <dd className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{hint}</dd> : null}
    </div>
  );
}
