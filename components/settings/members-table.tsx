'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import type { Member, Role } from '@/lib/client/types';
import { MemberRow } from './member-row';

interface MembersTableProps {
  workspaceId: string;
  workspaceName: string;
  members: Member[];
  myRole: Role;
  currentUserId: string;
}

export function MembersTable({ workspaceId, workspaceName, members, myRole, currentUserId }: MembersTableProps) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      {error ? <Alert className="mx-4 my-4 sm:mx-5">{error}</Alert> : null}
      {/* Wide tables scroll inside their card on narrow screens instead of widening the page. */}
      <div className="relative overflow-x-auto">
        <table className="w-full min-w-[36rem] text-sm">
          <caption className="sr-only">Members of {workspaceName}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-4 py-2.5 sm:px-5">
                Member
              </th>
              <th scope="col" className="px-4 py-2.5">
                Role
              </th>
              <th scope="col" className="px-4 py-2.5">
                Joined
              </th>
              <th scope="col" className="px-4 py-2.5 sm:px-5">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
            {members.map((member) => (
              <MemberRow
                key={member.userId}
                workspaceId={workspaceId}
                workspaceName={workspaceName}
                member={member}
                myRole={myRole}
                isMe={member.userId === currentUserId}
                onError={setError}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
