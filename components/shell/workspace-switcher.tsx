'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { usePathname, useRouter } from 'next/navigation';
import { focusRing } from '@/components/ui/focus-ring';
import { CheckIcon, ChevronsUpDownIcon, PlusIcon } from '@/components/ui/icons';
import { rememberWorkspace } from '@/lib/client/workspace-cookie';
import { sectionHref, sectionOf } from './sections';
import type { ShellWorkspace } from './types';

interface WorkspaceSwitcherProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  onNavigate?: () => void;
}

const itemClasses =
  'flex cursor-default items-center gap-2 rounded-md px-2 py-2 text-sm text-slate-800 outline-none select-none data-[highlighted]:bg-slate-100 dark:text-slate-200 dark:data-[highlighted]:bg-slate-800';

export function WorkspaceSwitcher({ current, workspaces, onNavigate }: WorkspaceSwitcherProps) {
  const router = useRouter();
  const pathname = usePathname();

  function open(workspaceId: string) {
    onNavigate?.();
    if (workspaceId === current.id) return;
    rememberWorkspace(workspaceId);
    router.push(sectionHref(workspaceId, sectionOf(pathname)));
  }

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className={`flex w-full items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-left shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800 ${focusRing}`}
      >
        <span
          aria-hidden="true"
          className="flex size-8 shrink-0 items-center justify-center rounded-md bg-indigo-600 text-sm font-semibold text-white dark:bg-indigo-500"
        >
          {current.name.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <span className="min-w-0 flex-1">
          {/* Visible text, not aria-label, names the button: speech users say what they see. */}
          <span className="sr-only">Switch workspace, current: </span>
          <span className="block truncate text-sm font-semibold text-slate-900 dark:text-slate-100">{current.name}</span>
          <span className="block text-xs text-slate-500 capitalize dark:text-slate-400">{current.role}</span>
        </span>
        <ChevronsUpDownIcon className="size-4 shrink-0 text-slate-400" />
      </DropdownMenu.Trigger>
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
