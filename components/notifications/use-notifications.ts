'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  fetchNotificationPreferences,
  fetchNotifications,
  markNotificationsRead,
  saveNotificationPreferences,
  type PreferencesInput,
} from '@/lib/client/notifications';

const notificationsKey = (workspaceId: string) => ['notifications', workspaceId] as const;
const preferencesKey = (workspaceId: string) => ['notification-preferences', workspaceId] as const;

/** How often the bell asks for news; also refetched when the window regains focus. */
export const NOTIFICATIONS_POLL_MS = 30_000;

/** The newest notifications and the unread count, polled while the page is open. */
export function useNotifications(workspaceId: string) {
  return useQuery({
    queryKey: notificationsKey(workspaceId),
    queryFn: ({ signal }) => fetchNotifications(workspaceId, { limit: 20, signal }),
    refetchInterval: NOTIFICATIONS_POLL_MS,
    refetchOnWindowFocus: true,
  });
}

export function useMarkRead(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[] } | { all: true }) => markNotificationsRead(workspaceId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey(workspaceId) }),
  });
}

export function useNotificationPreferences(workspaceId: string) {
  return useQuery({
    queryKey: preferencesKey(workspaceId),
    queryFn: ({ signal }) => fetchNotificationPreferences(workspaceId, signal),
  });
}

export function useSaveNotificationPreferences(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PreferencesInput) => saveNotificationPreferences(workspaceId, input),
    onSuccess: (saved) => queryClient.setQueryData(preferencesKey(workspaceId), saved),
  });
}
