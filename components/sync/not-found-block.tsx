import type { ReactNode } from 'react';

/** A page-level "nothing here" state: its heading is the page's h1. */
export function NotFoundBlock({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center dark:border-slate-700 dark:bg-slate-900/40">
      <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600 dark:bg-indigo-950 dark:text-indigo-300">
        {icon}
      </div>
      <h1 className="text-xl font-semibold text-slate-900 dark:text-slate-100">{title}</h1>
      <p className="mx-auto mt-2 max-w-lg text-sm text-slate-600 dark:text-slate-400">{children}</p>
    </div>
  );
}
