'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiFetch } from '@/lib/client/api';
import { REVOCATION_LABELS } from '@/lib/client/connections';
import type { Connection, ConnectionResponse, ConnectionTestResponse, DisconnectResponse } from '@/lib/client/types';
import { dismissConnectedBanner } from './connected-banner';
import { connectionKey, useRefreshConnections } from './use-integrations';

export interface Feedback {
  kind: 'status' | 'alert';
  text: string;
}

/** Test, pause/resume and disconnect, each reporting one sentence back to the page. */
export function useConnectionActions(workspaceId: string, connection: Connection) {
  const queryClient = useQueryClient();
  const refresh = useRefreshConnections(workspaceId);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const path = `/api/workspaces/${workspaceId}/connections/${connection.id}`;

  function settle(next: Connection, message: Feedback) {
    queryClient.setQueryData(connectionKey(workspaceId, connection.id), { connection: next });
    setFeedback(message);
    void refresh();
  }
  const fail = (error: Error) => setFeedback({ kind: 'alert', text: error.message });
  const start = () => {
    setFeedback(null);
    dismissConnectedBanner();
  };

  const test = useMutation({
    mutationFn: () => apiFetch<ConnectionTestResponse>(`${path}/test`, { method: 'POST' }),
    onMutate: start,
    onSuccess: ({ ok, message, connection: next }) =>
      settle(next, ok ? { kind: 'status', text: `Test passed. ${message}` } : { kind: 'alert', text: `Test failed: ${message}` }),
    onError: fail,
  });

  const setPaused = useMutation({
    mutationFn: (paused: boolean) => apiFetch<ConnectionResponse>(path, { method: 'PATCH', body: { paused } }),
    onMutate: start,
    onSuccess: ({ connection: next }, paused) =>
      settle(next, {
        kind: 'status',
        text: paused ? `Paused ${next.displayName}. Scheduled syncs wait until you resume it.` : `Resumed ${next.displayName}.`,
      }),
    onError: fail,
  });

  const disconnect = useMutation({
    mutationFn: () => apiFetch<DisconnectResponse>(path, { method: 'DELETE' }),
    onMutate: start,
    onSuccess: ({ revocation, connection: next }) =>
      settle(next, {
        kind: revocation === 'failed' ? 'alert' : 'status',
        text: `Disconnected ${next.displayName}: ${REVOCATION_LABELS[revocation]}.`,
      }),
  });

  const busy = test.isPending || setPaused.isPending || disconnect.isPending;
  return { test, setPaused, disconnect, feedback, busy };
}
