// Notifications as the browser sees them (lib/notifications): the member's own list with its
// unread count, marking read, and the member's own preferences.
import { apiFetch } from './api';
import type { Jsonified } from './types';
import type { NotificationList as ServerList, NotificationView } from '@/lib/notifications/inbox';
import type { PreferencesView } from '@/lib/notifications/preferences';

export type Notification = Jsonified<NotificationView>;
export type NotificationList = Jsonified<ServerList>;
export type NotificationPreferences = Jsonified<PreferencesView>;
export type PreferencesInput = Pick<NotificationPreferences, 'minSeverity' | 'email'>;

export function fetchNotifications(workspaceId: string, options: { limit?: number; cursor?: string | null; signal?: AbortSignal } = {}) {
  const query = new URLSearchParams({ limit: String(options.limit ?? 20) });
  if (options.cursor) query.set('cursor', options.cursor);
  return apiFetch<NotificationList>(`/api/workspaces/${workspaceId}/notifications?${query}`, { signal: options.signal });
}

export function markNotificationsRead(workspaceId: string, input: { ids: string[] } | { all: true }) {
  return apiFetch<{ updated: number; unread: number }>(`/api/workspaces/${workspaceId}/notifications/read`, { method: 'POST', body: input });
}

export function fetchNotificationPreferences(workspaceId: string, signal?: AbortSignal) {
  return apiFetch<NotificationPreferences>(`/api/workspaces/${workspaceId}/notification-preferences`, { signal });
}

export function saveNotificationPreferences(workspaceId: string, input: PreferencesInput) {
  return apiFetch<NotificationPreferences>(`/api/workspaces/${workspaceId}/notification-preferences`, { method: 'PUT', body: input });
}
