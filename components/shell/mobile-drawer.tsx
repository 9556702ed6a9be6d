'use client';

// Loaded on the menu button's first use (see mobile-nav.tsx): Radix Dialog is not needed to paint
// the top bar, and desktop widths never open it at all.
import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { CloseIcon, MenuIcon } from '@/components/ui/icons';
import { SidebarContent } from './sidebar-content';
import type { ShellWorkspace } from './types';

export interface MobileDrawerProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  userEmail: string;
  outbox?: boolean;
  triggerClassName: string;
}

export default function MobileDrawer({ current, workspaces, userEmail, outbox = false, triggerClassName }: MobileDrawerProps) {
  // Mounted because the person asked for the menu: it opens at once.
  const [open, setOpen] = useState(true);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger aria-label="Open menu" className={triggerClassName}>
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
  );
}
