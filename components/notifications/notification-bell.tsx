'use client';

import { lazy, Suspense } from 'react';
import { useDeferredTrigger } from '@/components/ui/deferred-trigger';
import { focusRing } from '@/components/ui/focus-ring';
import { Icon, type IconProps } from '@/components/ui/icons';
import { useNotifications } from './use-notifications';

const BellIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </Icon>
);

const loadMenu = () => import('./notification-menu');
const NotificationMenu = lazy(loadMenu);

const triggerClassName = `relative inline-flex size-9 shrink-0 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800 ${focusRing}`;

/**
 * The header's bell: unread count (polled every 30 s), and the newest notifications in a menu
 * whose body loads on first use (see useDeferredTrigger).
 */
export function NotificationBell({ workspaceId }: { workspaceId: string }) {
  const list = useNotifications(workspaceId);
  const { requested, triggerProps } = useDeferredTrigger(loadMenu, 'menu');
  const unread = list.data?.unread ?? 0;
  const shown = unread > 99 ? '99+' : String(unread);
  const label = unread > 0 ? `Notifications, ${shown} unread` : 'Notifications';

  const face = (
    <>
      <BellIcon className="size-5" />
      {unread > 0 ? (
        <span
          aria-hidden="true"
          data-testid="notification-count"
          className="absolute -top-0.5 -right-0.5 flex h-5 min-w-5 items-center justify-center rounded-full bg-red-600 px-1 text-[11px] leading-none font-semibold text-white ring-2 ring-white dark:ring-slate-950"
        >
          {shown}
        </span>
      ) : null}
    </>
  );
  const standIn = (
    <button {...triggerProps} aria-label={label} className={triggerClassName}>
      {face}
    </button>
  );
  return (
    <Suspense fallback={standIn}>
      {requested ? (
        <NotificationMenu workspaceId={workspaceId} list={list} triggerLabel={label} triggerClassName={triggerClassName}>
          {face}
        </NotificationMenu>
      ) : (
        standIn
      )}
    </Suspense>
  );
}
