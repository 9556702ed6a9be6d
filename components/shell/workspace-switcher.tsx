'use client';

import { lazy, Suspense } from 'react';
import { focusRing } from '@/components/ui/focus-ring';
import { ChevronsUpDownIcon } from '@/components/ui/icons';
import { useDeferredTrigger } from '@/components/ui/deferred-trigger';
import type { ShellWorkspace } from './types';

interface WorkspaceSwitcherProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  onNavigate?: () => void;
}

const loadMenu = () => import('./workspace-switcher-menu');
const WorkspaceSwitcherMenu = lazy(loadMenu);

const triggerClassName = `flex w-full items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-left shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800 ${focusRing}`;

/** The sidebar's workspace menu; its body loads on first use (see useDeferredTrigger). */
export function WorkspaceSwitcher({ current, workspaces, onNavigate }: WorkspaceSwitcherProps) {
  const { requested, triggerProps } = useDeferredTrigger(loadMenu, 'menu');

  const face = (
    <>
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
    </>
  );
  const standIn = (
    <button {...triggerProps} className={triggerClassName}>
      {face}
    </button>
  );
  return (
    <Suspense fallback={standIn}>
      {requested ? (
        <WorkspaceSwitcherMenu current={current} workspaces={workspaces} onNavigate={onNavigate} triggerClassName={triggerClassName}>
          {face}
        </WorkspaceSwitcherMenu>
      ) : (
        standIn
      )}
    </Suspense>
  );
}
