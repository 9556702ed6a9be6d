'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { RoleBadge } from '@/components/ui/role-badge';
import { Select } from '@/components/ui/select';
import { apiFetch } from '@/lib/client/api';
import { formatDate } from '@/lib/client/format';
import type { Member, Role } from '@/lib/client/types';
import { canChangeRole, canRemove, grantableRoles } from './permissions';
import { useRefreshWorkspaceData } from './use-members';

interface MemberRowProps {
  workspaceId: string;
  workspaceName: string;
  member: Member;
  myRole: Role;
  isMe: boolean;
  onError: (message: string | null) => void;
}

export function MemberRow({ workspaceId, workspaceName, member, myRole, isMe, onError }: MemberRowProps) {
  const router = useRouter();
  const refresh = useRefreshWorkspaceData(workspaceId);
  const [confirming, setConfirming] = useState(false);
  const memberPath = `/api/workspaces/${workspaceId}/members/${member.userId}`;

  const changeRole = useMutation({
    mutationFn: (role: Role) => apiFetch(memberPath, { method: 'PATCH', body: { role } }),
    onMutate: () => onError(null),
    onError: (error) => onError(error.message),
    onSettled: () => refresh(),
    // Your own role shows in the sidebar, so the server-rendered shell must refresh too.
    onSuccess: () => (isMe ? router.refresh() : undefined),
  });

  const remove = useMutation({
    mutationFn: () => apiFetch(memberPath, { method: 'DELETE' }),
    onSuccess: async () => {
      setConfirming(false);
      if (isMe) {
        router.replace('/');
        router.refresh();
        return;
      }
      await refresh();
    },
  });

  const options = grantableRoles(myRole);
  const editable = canChangeRole(myRole, member);
  const removable = isMe || canRemove(myRole, member);

  return (
    <tr className="h-14">
      <th scope="row" className="px-4 py-3 text-left font-normal sm:px-5">
        <span className="block font-medium text-slate-900 dark:text-slate-100">
          {member.email}
          {isMe ? <span className="ml-1.5 text-xs font-normal text-slate-500 dark:text-slate-400">(you)</span> : null}
        </span>
        {member.displayName ? (
          <span className="block text-xs text-slate-500 dark:text-slate-400">{member.displayName}</span>
        ) : null}
      </th>
      <td className="px-4 py-3">
        {editable ? (
          <div className="w-32">
            <Select
              aria-label={`Role for ${member.email}`}
              value={member.role}
              disabled={changeRole.isPending}
              onChange={(event) => changeRole.mutate(event.target.value as Role)}
              className="h-9"
            >
              {options.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </Select>
          </div>
        ) : (
          <RoleBadge role={member.role} />
        )}
      </td>
      <td className="px-4 py-3 whitespace-nowrap text-slate-600 dark:text-slate-400">
        <time dateTime={member.joinedAt}>{formatDate(member.joinedAt)}</time>
      </td>
      <td className="px-4 py-3 text-right sm:px-5">
        {removable ? (
          <Button
            variant="dangerGhost"
            size="sm"
            aria-label={isMe ? undefined : `Remove ${member.email}`}
            onClick={() => {
              remove.reset();
              setConfirming(true);
            }}
          >
            {isMe ? 'Leave workspace' : 'Remove'}
          </Button>
        ) : null}
        <ConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          title={isMe ? `Leave ${workspaceName}?` : `Remove ${member.email} from ${workspaceName}?`}
          description={
            isMe
              ? 'You lose access right away. An admin can add you again later.'
              : 'They lose access right away. You can add them again later.'
          }
          confirmLabel={isMe ? 'Leave' : 'Remove'}
          onConfirm={() => remove.mutate()}
          pending={remove.isPending}
          error={remove.isError ? remove.error.message : null}
        />
      </td>
    </tr>
  );
}
