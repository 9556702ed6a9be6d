'use client';

import { lazy, Suspense, useState } from 'react';
import type { ConfirmDialogProps } from './confirm-dialog-body';

const ConfirmDialogBody = lazy(() => import('./confirm-dialog-body'));

/**
 * A modal yes/no step before something that cannot be undone from the UI. The dialog (Radix) loads
 * the first time it opens, keeping it out of the pages' first-load JS (issue #15); from then on it
 * stays mounted so Radix handles closing and focus as before.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [opened, setOpened] = useState(props.open);
  // Adjusting state while rendering (React's documented pattern), not in an effect: no extra paint.
  if (props.open && !opened) setOpened(true);
  if (!opened) return null;
  return (
    <Suspense fallback={null}>
      <ConfirmDialogBody {...props} />
    </Suspense>
  );
}
