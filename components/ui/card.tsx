import type { ReactNode } from 'react';

export function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return (
    <div
      className={`rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      {children}
    </div>
  );
}

interface SectionCardProps {
  id: string;
  title: string;
  description?: ReactNode;
  /** Drop the body padding, for tables that run edge to edge. */
  flush?: boolean;
  children: ReactNode;
}

/** A titled settings-style section: the heading labels the <section> for landmark navigation. */
export function SectionCard({ id, title, description, flush = false, children }: SectionCardProps) {
  return (
    <section aria-labelledby={id}>
      <Card>
        <div className="border-b border-slate-200 px-5 py-4 dark:border-slate-800">
          <h2 id={id} className="text-base font-semibold text-slate-900 dark:text-slate-100">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{description}</p> : null}
        </div>
        <div className={flush ? '' : 'px-5 py-4'}>{children}</div>
      </Card>
    </section>
  );
}
