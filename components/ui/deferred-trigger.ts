'use client';

import { startTransition, useState, type KeyboardEvent } from 'react';

/**
 * A menu or drawer of the always-loaded shell whose body (Radix and everything it renders) is
 * fetched on first use, so it stays out of every page's first-load JS (issue #15). Until then a
 * plain button stands in for the trigger with the same look and ARIA; `preload` warms the chunk on
 * hover or focus, so by the click it is usually there. Once `requested`, the caller renders the
 * lazy body open, and Radix owns the trigger, focus and dismissal from then on.
 *
 * The request is a transition and the caller keeps one Suspense boundary around both states, so
 * React leaves the stand-in on screen while the chunk loads instead of flashing the fallback.
 */
export function useDeferredTrigger(preload: () => Promise<unknown>, popup: 'menu' | 'dialog') {
  const [requested, setRequestedNow] = useState(false);
  const setRequested = (value: boolean) => startTransition(() => setRequestedNow(value));
  // A failed preload is not an error yet: React.lazy retries on the click and its boundary reports.
  const warm = () => void preload().catch(() => undefined);
  const triggerProps = {
    type: 'button' as const,
    'aria-haspopup': popup,
    'aria-expanded': false,
    onPointerEnter: warm,
    onFocus: warm,
    // Click covers the mouse, Enter, Space and a screen reader's virtual click.
    onClick: () => setRequested(true),
    onKeyDown: (event: KeyboardEvent) => {
      // Radix menus also open on ArrowDown; keep that for the stand-in.
      if (popup === 'menu' && event.key === 'ArrowDown') {
        event.preventDefault();
        setRequested(true);
      }
    },
  };
  return { requested, triggerProps };
}
