import { buttonClasses } from '@/components/ui/button';
import Link from 'next/link';

export function NotFoundMessage({ title, description }: { title: string; description: string }) {
  return (
    <div className="max-w-md text-center">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">{title}</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{description}</p>
      <Link href="/" className={buttonClasses('primary', 'md', 'mt-6')}>
        Back to your workspaces
      </Link>
    </div>
  );
}
