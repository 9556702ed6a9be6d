'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { focusRing } from '@/components/ui/focus-ring';
import { SECTIONS, sectionHref, sectionOf } from './sections';

export function WorkspaceNav({ workspaceId, onNavigate }: { workspaceId: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Workspace">
      <ul className="space-y-1">
        {SECTIONS.map(({ slug, label, Icon }) => {
          const href = sectionHref(workspaceId, slug);
          const active = sectionOf(pathname) === slug;
          return (
            <li key={slug}>
              <Link
                href={href}
                onClick={onNavigate}
                aria-current={active ? 'page' : undefined}
                className={`flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors ${focusRing} ${
                  active
                    ? 'bg-indigo-50 text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300'
                    : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-slate-100'
                }`}
              >
                <Icon className="size-5 shrink-0" />
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
