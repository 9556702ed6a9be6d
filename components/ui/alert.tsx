import type { ReactNode } from 'react';

/** An error the person should read now (role="alert" is announced immediately). */
export function Alert({ children, className = '' }: { children: ReactNode; className?: string }) {
  return (
    <div
      role="alert"
      className={`rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200 ${className}`}
    >
      {children}
    </div>
  );
}

/** Confirmation of something that worked (role="status" is announced politely). */
export function StatusMessage({ children, className = '' }: { children: ReactNode; className?: string }) {
  return (
    <div
      role="status"
      className={`rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200 ${className}`}
    >
      {children}
    </div>
  );
}
