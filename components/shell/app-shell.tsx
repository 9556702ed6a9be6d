'use client';

import { useEffect, type ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { focusRing } from '@/components/ui/focus-ring';
import { rememberWorkspace } from '@/lib/client/workspace-cookie';
import { MobileNav } from './mobile-nav';
import { SidebarContent } from './sidebar-content';
import type { ShellWorkspace } from './types';

interface AppShellProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  userEmail: string;
  /** Show the Outbox link (mail is kept in the app, not sent). */
  outbox?: boolean;
  children: ReactNode;
}

export function AppShell({ current, workspaces, userEmail, outbox = false, children }: AppShellProps) {
  useEffect(() => rememberWorkspace(current.id), [current.id]);

  return (
    <Providers>
      <a
        href="#content"
        className={`fixed top-3 left-3 z-50 -translate-y-24 rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm font-medium text-indigo-700 shadow-lg transition-transform focus:translate-y-0 dark:border-slate-700 dark:bg-slate-900 dark:text-indigo-300 ${focusRing}`}
      >
        Skip to content
      </a>
      <div className="min-h-screen bg-slate-50 dark:bg-slate-950">
        <aside
          aria-label="Sidebar"
          className="fixed inset-y-0 left-0 hidden w-72 overflow-y-auto border-r border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900"
        >
          <SidebarContent current={current} workspaces={workspaces} userEmail={userEmail} outbox={outbox} />
        </aside>
        <MobileNav current={current} workspaces={workspaces} userEmail={userEmail} outbox={outbox} />
        <main id="content" tabIndex={-1} className="outline-none md:pl-72">
          <div className="mx-auto max-w-5xl px-4 py-8 sm:px-6 lg:px-8">{children}</div>
        </main>
      </div>
    </Providers>
  );
}
