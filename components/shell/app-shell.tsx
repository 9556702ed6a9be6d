'use client';

import { useEffect, type ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { focusRing } from '@/components/ui/focus-ring';
import { rememberWorkspace } from '@/lib/client/workspace-cookie';
import { NotificationBell } from '@/components/notifications/notification-bell';
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
      {/* From md up the sidebar is a column as tall as the page (its background never stops short
          on a long page), and its content sticks to the viewport while the page scrolls. */}
      <div className="min-h-screen bg-slate-50 md:flex dark:bg-slate-950">
        <aside
          aria-label="Sidebar"
          className="hidden w-72 shrink-0 border-r border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="sticky top-0 h-screen overflow-y-auto">
            <SidebarContent current={current} workspaces={workspaces} userEmail={userEmail} outbox={outbox} />
          </div>
        </aside>
        <MobileNav current={current} workspaces={workspaces} userEmail={userEmail} outbox={outbox} />
        <main id="content" tabIndex={-1} className="min-w-0 flex-1 outline-none">
          {/* The desktop header: the bell (below md it sits in MobileNav's top bar). */}
          <div className="mx-auto hidden max-w-5xl justify-end px-4 pt-4 sm:px-6 md:flex lg:px-8">
            <NotificationBell workspaceId={current.id} />
          </div>
          <div className="mx-auto max-w-5xl px-4 py-8 sm:px-6 lg:px-8">{children}</div>
        </main>
      </div>
    </Providers>
  );
}
