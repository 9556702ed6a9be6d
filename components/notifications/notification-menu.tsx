'use client';

// Loaded on the bell's first use (see notification-bell.tsx): Radix DropdownMenu and the list's
// formatting are not needed to paint the bell and its count.
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import type { Notification } from '@/lib/client/notifications';
import { useMarkRead, type useNotifications } from './use-notifications';

export interface NotificationMenuProps {
  workspaceId: string;
  /** The bell's query, shared so the list and the count never disagree (and poll once). */
  list: ReturnType<typeof useNotifications>;
  triggerLabel: string;
  triggerClassName: string;
  /** The trigger's face, the same as the stand-in button's. */
  children: ReactNode;
}

const SEVERITY: Record<Notification['severity'], { label: string; dot: string; text: string }> = {
  critical: { label: 'Critical', dot: 'bg-red-600 dark:bg-red-400', text: 'text-red-700 dark:text-red-300' },
  warning: { label: 'Warning', dot: 'bg-amber-500 dark:bg-amber-400', text: 'text-amber-800 dark:text-amber-300' },
  info: { label: 'Info', dot: 'bg-sky-600 dark:bg-sky-400', text: 'text-sky-800 dark:text-sky-300' },
};

const itemClasses =
  'flex cursor-pointer gap-3 rounded-md px-3 py-2.5 text-left outline-none select-none data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800';

export default function NotificationMenu({ workspaceId, list, triggerLabel, triggerClassName, children }: NotificationMenuProps) {
  const router = useRouter();
  const markRead = useMarkRead(workspaceId);
  const unread = list.data?.unread ?? 0;
  const items = list.data?.notifications ?? [];
  const shown = unread > 99 ? '99+' : String(unread);

  function open(notification: Notification) {
    if (!notification.readAt) markRead.mutate({ ids: [notification.id] });
    if (notification.href) router.push(notification.href);
  }

  // Mounted because the person asked for the menu: it opens at once.
  return (
    <DropdownMenu.Root defaultOpen>
      <DropdownMenu.Trigger aria-label={triggerLabel} className={triggerClassName}>
        {children}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={8}
          collisionPadding={8}
          className="z-50 w-[min(24rem,calc(100vw-1rem))] rounded-lg border border-slate-200 bg-white shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
            <DropdownMenu.Label className="text-sm font-semibold text-slate-900 dark:text-slate-100">
              Notifications{unread > 0 ? <span className="font-normal text-slate-600 dark:text-slate-400"> · {shown} unread</span> : null}
            </DropdownMenu.Label>
            {unread > 0 ? (
              <DropdownMenu.Item
                onSelect={(event) => {
                  // Stay open: the list shows them read at once.
                  event.preventDefault();
                  markRead.mutate({ all: true });
                }}
                className="cursor-pointer rounded-md px-2 py-1 text-sm font-medium text-indigo-700 outline-none data-[highlighted]:bg-indigo-50 dark:text-indigo-300 dark:data-[highlighted]:bg-indigo-950"
              >
                Mark all read
              </DropdownMenu.Item>
            ) : null}
          </div>
          <div className="max-h-[min(28rem,70vh)] overflow-y-auto p-1">
            {list.isError ? (
              <p role="alert" className="px-3 py-4 text-sm text-red-700 dark:text-red-300">
                {list.error.message}
              </p>
            ) : list.isPending ? (
              <p className="px-3 py-4 text-sm text-slate-600 dark:text-slate-400">Loading…</p>
            ) : items.length === 0 ? (
              <p className="px-3 py-6 text-center text-sm text-slate-600 dark:text-slate-400">
                Nothing yet. When a connection needs attention, you will hear about it here.
              </p>
            ) : (
              items.map((notification) => <NotificationItem key={notification.id} notification={notification} onOpen={open} />)
            )}
          </div>
          <div className="border-t border-slate-200 px-3 py-2 dark:border-slate-800">
            <DropdownMenu.Item asChild className="rounded-sm text-sm font-medium text-indigo-700 outline-none data-[highlighted]:underline dark:text-indigo-300">
              <Link href={`/w/${workspaceId}/settings#notifications`}>Notification settings</Link>
            </DropdownMenu.Item>
          </div>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function NotificationItem({ notification, onOpen }: { notification: Notification; onOpen: (n: Notification) => void }) {
  const severity = SEVERITY[notification.severity];
  const unread = !notification.readAt;
  return (
    <DropdownMenu.Item className={itemClasses} onSelect={() => onOpen(notification)} data-unread={unread || undefined}>
      <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${unread ? severity.dot : 'bg-transparent'}`} />
      <span className="min-w-0 flex-1">
        <span className={`block text-sm ${unread ? 'font-semibold text-slate-900 dark:text-slate-100' : 'text-slate-700 dark:text-slate-300'}`}>
          {unread ? <span className="sr-only">Unread: </span> : null}
          {notification.title}
        </span>
        {notification.body ? (
          <span className="mt-0.5 line-clamp-2 block text-xs text-slate-600 dark:text-slate-400">{notification.body}</span>
        ) : null}
        <span className="mt-1 flex items-center gap-2 text-xs">
          <span className={`font-medium ${severity.text}`}>{severity.label}</span>
          <span aria-hidden="true" className="text-slate-600 dark:text-slate-400">·</span>
          <time dateTime={notification.createdAt} title={formatDateTime(notification.createdAt)} className="text-slate-600 dark:text-slate-400">
            {formatRelativeTime(notification.createdAt)}
          </time>
        </span>
      </span>
    </DropdownMenu.Item>
  );
}
