/** The one-line placeholder a part of a page shows while its code loads (a `next/dynamic` `loading`). */
export function LoadingNote({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-slate-500 dark:text-slate-400">{children}</p>;
}
