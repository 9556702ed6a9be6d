'use client';

import { useMutation } from '@tanstack/react-query';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { RoleBadge } from '@/components/ui/role-badge';
import { apiFetch } from '@/lib/client/api';
import { formatDate } from '@/lib/client/format';
import type { Invitation } from '@/lib/client/types';
import { useRefreshWorkspaceData } from './use-members';

interface InvitationsListProps {
  workspaceId: string;
  invitations: Invitation[];
  canManage: boolean;
}

export function InvitationsList({ workspaceId, invitations, canManage }: InvitationsListProps) {
  const refresh = useRefreshWorkspaceData(workspaceId);
  const revoke = useMutation({
    mutationFn: (invitationId: string) =>
      apiFetch(`/api/workspaces/${workspaceId}/invitations/${invitationId}`, { method: 'DELETE' }),
    onSettled: () => refresh(),
  });
  const resend = useMutation({
    mutationFn: (invitationId: string) =>
      apiFetch<{ email: string }>(`/api/workspaces/${workspaceId}/invitations/${invitationId}/resend`, { method: 'POST' }),
  });

  if (invitations.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No pending invitations.</p>;
  }

  return (
    <div className="space-y-3">
      {revoke.isError ? <Alert>{revoke.error.message}</Alert> : null}
      {resend.isError ? <Alert>{resend.error.message}</Alert> : null}
      {resend.isSuccess ? <StatusMessage>{`Sent a new invitation link to ${resend.data.email}; the previous link no longer works.`}</StatusMessage> : null}
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium text-slate-900 dark:text-slate-100">{invitation.email}</p>
              <p className="text-xs text-slate-500 dark:text-slate-400">
                Invited <time dateTime={invitation.createdAt}>{formatDate(invitation.createdAt)}</time>
              </p>
            </div>
            <RoleBadge role={invitation.role} />
            {canManage ? (
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Resend invitation to ${invitation.email}`}
                disabled={resend.isPending && resend.variables === invitation.id}
                onClick={() => resend.mutate(invitation.id)}
              >
                Resend
              </Button>
            ) : null}
            {canManage ? (
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Revoke invitation for ${invitation.email}`}
                disabled={revoke.isPending && revoke.variables === invitation.id}
                onClick={() => revoke.mutate(invitation.id)}
              >
                Revoke
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
