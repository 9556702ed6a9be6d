import type { Metadata } from 'next';
import { NotFoundMessage } from '@/components/not-found-message';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-12 dark:bg-slate-950">
      <NotFoundMessage title="Page not found" description="There is nothing at this address. It may have moved, or the link may be mistyped." />
    </main>
  );
}
