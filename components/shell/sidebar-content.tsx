'use client';

import Link from 'next/link';
import { HubLogo } from '@/components/ui/icons';
import { focusRing } from '@/components/ui/focus-ring';
import { SignOutButton } from './sign-out-button';
import { ThemeToggle } from './theme-toggle';
import type { ShellWorkspace } from './types';
import { WorkspaceNav } from './workspace-nav';
import { WorkspaceSwitcher } from './workspace-switcher';

interface SidebarContentProps {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
  userEmail: string;
  /** Show the Outbox link (mail is kept in the app, not sent). */
  outbox?: boolean;
  /** Called when a link or workspace is chosen, so the mobile drawer can close. */
  onNavigate?: () => void;
}

export function SidebarContent({ current, workspaces, userEmail, outbox = false, onNavigate }: SidebarContentProps) {
  return (
    <div className="flex h-full flex-col gap-6 px-4 py-5">
      <div className="flex items-center gap-2 px-1 font-semibold text-slate-900 dark:text-slate-100">
        <HubLogo />
        Integration Hub
      </div>
      <WorkspaceSwitcher current={current} workspaces={workspaces} onNavigate={onNavigate} />
      <WorkspaceNav workspaceId={current.id} onNavigate={onNavigate} />
      <div className="mt-auto border-t border-slate-200 pt-4 dark:border-slate-800">
        <p className="truncate px-1 text-sm text-slate-600 dark:text-slate-400" title={userEmail}>
          <span className="sr-only">Signed in as </span>
          {userEmail}
        </p>
        {outbox ? (
          <Link
            href="/outbox"
            onClick={onNavigate}
            className={`mt-1 block rounded-sm px-1 text-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`}
          >
            Outbox
          </Link>
        ) : null}
        <div className="mt-2 flex items-center justify-between gap-2">
          <SignOutButton className="-ml-1" />
          <ThemeToggle />
        </div>
        <SignOutButton everywhere className="mt-1" />
      </div>
    </div>
  );
}
