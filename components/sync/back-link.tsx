import Link from 'next/link';
import type { ReactNode } from 'react';
import { focusRing } from '@/components/ui/focus-ring';

/** "← …" above a page's heading. */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link
      href={href}
      className={`inline-flex items-center gap-1 rounded-sm text-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`}
    >
      <span aria-hidden="true">←</span> {children}
    </Link>
  );
}
