'use client';

// Loaded on the switcher's first use (see workspace-switcher.tsx): Radix DropdownMenu is about
// 30 KB gzipped that no first paint needs.
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { usePathname, useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { CheckIcon, PlusIcon } from '@/components/ui/icons';
import { rememberWorkspace } from '@/lib/client/workspace-cookie';
import { sectionHref, sectionOf } from './sections';
import type { ShellWorkspace } from './types';

export interface WorkspaceSwitcherMenuProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  onNavigate?: () => void;
  triggerClassName: string;
  /** The trigger's face, the same as the stand-in button's. */
  children: ReactNode;
}

const itemClasses =
  'flex cursor-default items-center gap-2 rounded-md px-2 py-2 text-sm text-slate-800 outline-none select-none data-[highlighted]:bg-slate-100 dark:text-slate-200 dark:data-[highlighted]:bg-slate-800';

export default function WorkspaceSwitcherMenu({ current, workspaces, onNavigate, triggerClassName, children }: WorkspaceSwitcherMenuProps) {
  const router = useRouter();
  const pathname = usePathname();

  function open(workspaceId: string) {
    onNavigate?.();
    if (workspaceId === current.id) return;
    rememberWorkspace(workspaceId);
    router.push(sectionHref(workspaceId, sectionOf(pathname)));
  }

  // Mounted because the person asked for the menu: it opens at once.
  return (
    <DropdownMenu.Root defaultOpen>
      <DropdownMenu.Trigger className={triggerClassName}>{children}</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          className="z-50 max-h-[70vh] w-[var(--radix-dropdown-menu-trigger-width)] min-w-60 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">
            Workspaces
          </DropdownMenu.Label>
          <DropdownMenu.RadioGroup value={current.id} onValueChange={open}>
            {workspaces.map((workspace) => (
              <DropdownMenu.RadioItem key={workspace.id} value={workspace.id} className={itemClasses}>
                <span className="min-w-0 flex-1 truncate">{workspace.name}</span>{' '}
                <span className="text-xs text-slate-500 dark:text-slate-400">{workspace.role}</span>
                <span className="flex size-4 shrink-0 items-center justify-center">
                  <DropdownMenu.ItemIndicator>
                    <CheckIcon className="size-4 text-indigo-600 dark:text-indigo-400" />
                  </DropdownMenu.ItemIndicator>
                </span>
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
          <DropdownMenu.Item
            className={itemClasses}
            onSelect={() => {
              onNavigate?.();
              router.push('/workspaces/new');
            }}
          >
            <PlusIcon className="size-4" />
            Create workspace
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
