import type { InputHTMLAttributes } from 'react';
import { focusRing } from './focus-ring';

export const controlClasses = [
  'block h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm',
  'placeholder:text-slate-400 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500',
  'read-only:bg-slate-50 read-only:text-slate-600',
  'dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-500',
  'dark:disabled:bg-slate-800 dark:disabled:text-slate-400 dark:read-only:bg-slate-800/60 dark:read-only:text-slate-300',
  focusRing,
].join(' ');

export function Input({ className = '', ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={`${controlClasses} ${className}`} {...props} />;
}
