import { Button } from '@/components/ui/button';

interface PaginationProps {
  /** Names the navigation landmark, e.g. "Sync run pages". */
  label: string;
  page: number;
  pageSize: number;
  total: number;
  noun: [one: string, many: string];
  onPageChange: (page: number) => void;
}

export function Pagination({ label, page, pageSize, total, noun, onPageChange }: PaginationProps) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav
      aria-label={label}
      className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800"
    >
      <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
        Previous
      </Button>
      <p className="text-center text-sm text-slate-600 dark:text-slate-400">
        Page {page} of {pageCount}
        <span className="text-slate-500 dark:text-slate-400"> · </span>
        {total.toLocaleString('en')} {total === 1 ? noun[0] : noun[1]}
      </p>
      <Button variant="secondary" size="sm" disabled={page >= pageCount} onClick={() => onPageChange(page + 1)}>
        Next
      </Button>
    </nav>
  );
}
