'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { CloseIcon, MenuIcon } from '@/components/ui/icons';
import { NotificationBell } from '@/components/notifications/notification-bell';
import { SidebarContent } from './sidebar-content';
import type { ShellWorkspace } from './types';

interface MobileNavProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  userEmail: string;
  outbox?: boolean;
}

/** Below md the sidebar lives in a drawer behind a top-bar button (Escape or the × closes it). */
export function MobileNav({ current, workspaces, userEmail, outbox = false }: MobileNavProps) {
  const [open, setOpen] = useState(false);
  return (
    <header className="sticky top-0 z-30 flex items-center gap-3 border-b border-slate-200 bg-white/95 px-4 py-3 backdrop-blur md:hidden dark:border-slate-800 dark:bg-slate-900/95">
      <Dialog.Root open={open} onOpenChange={setOpen}>
        <Dialog.Trigger aria-label="Open menu" className={buttonClasses('ghost', 'icon', '-ml-2')}>
          <MenuIcon className="size-6" />
        </Dialog.Trigger>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
          <Dialog.Content
            aria-describedby={undefined}
            className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] overflow-y-auto border-r border-slate-200 bg-white shadow-xl dark:border-slate-800 dark:bg-slate-900"
          >
            <Dialog.Title className="sr-only">Menu</Dialog.Title>
            <Dialog.Close aria-label="Close menu" className={buttonClasses('ghost', 'icon', 'absolute top-3.5 right-3')}>
              <CloseIcon className="size-5" />
            </Dialog.Close>
            <SidebarContent
              current={current}
              workspaces={workspaces}
              userEmail={userEmail}
              outbox={outbox}
              onNavigate={() => setOpen(false)}
            />
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
      <span className="min-w-0 truncate text-sm font-semibold text-slate-900 dark:text-slate-100">{current.name}</span>
      <div className="ml-auto">
        <NotificationBell workspaceId={current.id} />
      </div>
    </header>
  );
}
