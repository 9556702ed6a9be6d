'use client';

import { lazy, Suspense } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { useDeferredTrigger } from '@/components/ui/deferred-trigger';
import { MenuIcon } from '@/components/ui/icons';
import { NotificationBell } from '@/components/notifications/notification-bell';
import type { ShellWorkspace } from './types';

interface MobileNavProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  userEmail: string;
  outbox?: boolean;
}

const loadDrawer = () => import('./mobile-drawer');
const MobileDrawer = lazy(loadDrawer);

const triggerClassName = buttonClasses('ghost', 'icon', '-ml-2');

/**
 * Below md the sidebar lives in a drawer behind a top-bar button (Escape or the × closes it); the
 * drawer loads on the button's first use (see useDeferredTrigger).
 */
export function MobileNav({ current, workspaces, userEmail, outbox = false }: MobileNavProps) {
  const { requested, triggerProps } = useDeferredTrigger(loadDrawer, 'dialog');
  const standIn = (
    <button {...triggerProps} aria-label="Open menu" className={triggerClassName}>
      <MenuIcon className="size-6" />
    </button>
  );
  return (
    <header className="sticky top-0 z-30 flex items-center gap-3 border-b border-slate-200 bg-white/95 px-4 py-3 backdrop-blur md:hidden dark:border-slate-800 dark:bg-slate-900/95">
      <Suspense fallback={standIn}>
        {requested ? (
          <MobileDrawer current={current} workspaces={workspaces} userEmail={userEmail} outbox={outbox} triggerClassName={triggerClassName} />
        ) : (
          standIn
        )}
      </Suspense>
      <span className="min-w-0 truncate text-sm font-semibold text-slate-900 dark:text-slate-100">{current.name}</span>
      <div className="ml-auto">
        <NotificationBell workspaceId={current.id} />
      </div>
    </header>
  );
}
