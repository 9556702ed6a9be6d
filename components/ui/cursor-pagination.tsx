import { Button } from '@/components/ui/button';

/**
 * Where a keyset-paged list is: `after` the cursor of the last row seen (older rows follow),
 * `before` the first row's (newer rows precede); both empty on the first page. Kept in the URL, so
 * a page can be shared or bookmarked, and reset with FIRST_PAGE whenever a filter changes.
 */
export interface CursorPosition {
  after: string;
  before: string;
}

export const FIRST_PAGE: CursorPosition = { after: '', before: '' };

/** The position's query parameters for the list's API (none on the first page). */
export function setCursor(query: URLSearchParams, position: CursorPosition): URLSearchParams {
  if (position.after) query.set('after', position.after);
  else if (position.before) query.set('before', position.before);
  return query;
}

/** A total the API stopped counting at its cap reads "10,000+". */
export function formatTotal(total: number, capped: boolean | undefined): string {
  return `${total.toLocaleString('en')}${capped ? '+' : ''}`;
}

interface CursorPaginationProps {
  /** Names the navigation landmark, e.g. "Sync run pages". */
  label: string;
  total: number;
  totalCapped?: boolean;
  noun: [one: string, many: string];
  nextCursor: string | null;
  prevCursor: string | null;
  onMove: (position: CursorPosition) => void;
}

/** Previous / Next over a keyset-paged list: every page costs the server the same, however deep. */
export function CursorPagination({ label, total, totalCapped, noun, nextCursor, prevCursor, onMove }: CursorPaginationProps) {
  return (
    <nav
      aria-label={label}
      className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800"
    >
      <Button variant="secondary" size="sm" disabled={!prevCursor} onClick={() => prevCursor && onMove({ after: '', before: prevCursor })}>
        Previous
      </Button>
      <p className="text-center text-sm text-slate-600 dark:text-slate-400">
        {formatTotal(total, totalCapped)} {total === 1 && !totalCapped ? noun[0] : noun[1]}
        {prevCursor ? (
          <>
            <span className="text-slate-500 dark:text-slate-400"> · </span>
            <button
              type="button"
              className="rounded font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
              onClick={() => onMove(FIRST_PAGE)}
            >
              Newest
            </button>
          </>
        ) : null}
      </p>
      <Button variant="secondary" size="sm" disabled={!nextCursor} onClick={() => nextCursor && onMove({ after: nextCursor, before: '' })}>
        Next
      </Button>
    </nav>
  );
}
