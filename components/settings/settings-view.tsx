'use client';

import { Alert } from '@/components/ui/alert';
import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import type { Role } from '@/lib/client/types';
import { AddMemberForm } from './add-member-form';
import { InvitationsList } from './invitations-list';
import { MembersTable } from './members-table';
import { NotificationPreferencesForm } from './notification-preferences-form';
import { isAdmin } from './permissions';
import { RoleGuide } from './role-guide';
import { useMembers } from './use-members';
import { WorkspaceNameForm } from './workspace-name-form';

interface SettingsViewProps {
  workspaceId: string;
  workspaceName: string;
  initialRole: Role;
  currentUserId: string;
}

export function SettingsView({ workspaceId, workspaceName, initialRole, currentUserId }: SettingsViewProps) {
  const members = useMembers(workspaceId);
  // The members answer carries the freshest role (it changes if someone demotes you meanwhile).
  const myRole = members.data?.myRole ?? initialRole;
  const admin = isAdmin(myRole);

  return (
    <div className="space-y-8">
      <SectionCard id="workspace-heading" title="Workspace">
        <WorkspaceNameForm key={workspaceName} workspaceId={workspaceId} initialName={workspaceName} canEdit={admin} />
      </SectionCard>

      <SectionCard
        id="members-heading"
        title="Members"
        flush
        description={admin ? 'Change roles, remove people, or leave the workspace.' : 'Everyone with access to this workspace.'}
      >
        {members.isError ? <Alert className="m-5">{members.error.message}</Alert> : null}
        {members.isPending ? <p className="px-5 py-4 text-sm text-slate-500 dark:text-slate-400">Loading members…</p> : null}
        {members.data ? (
          <MembersTable
            workspaceId={workspaceId}
            workspaceName={workspaceName}
            members={members.data.members}
            myRole={myRole}
            currentUserId={currentUserId}
          />
        ) : null}
      </SectionCard>

      {admin ? (
        <SectionCard id="add-member-heading" title="Add member">
          <AddMemberForm workspaceId={workspaceId} myRole={myRole} />
        </SectionCard>
      ) : null}

      {members.data ? (
        <SectionCard
          id="invitations-heading"
          title="Pending invitations"
          description="Invitations not accepted yet. Each was mailed to its address; only that address, verified, can accept it."
        >
          <InvitationsList workspaceId={workspaceId} invitations={members.data.invitations} canManage={admin} />
        </SectionCard>
      ) : null}

      {/* The bell and notification mail link here (#notifications); the margin clears the phone's top bar. */}
      <div id="notifications" className="scroll-mt-20">
        <SectionCard
          id="notifications-heading"
          title="Your notifications"
          description="When a connection needs attention you hear about it in the bell; choose which issues reach you and how they are mailed. These are yours alone."
        >
          <NotificationPreferencesForm workspaceId={workspaceId} />
        </SectionCard>
      </div>

      <SectionCard id="api-keys-link-heading" title="API keys">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {admin
            ? 'Scoped keys for the Actions API and the MCP endpoint. '
            : 'Scoped keys for the Actions API and the MCP endpoint; only owners and admins manage them. '}
          {admin ? <TextLink href={`/w/${workspaceId}/settings/api-keys`}>Manage API keys</TextLink> : null}
          {admin ? ' · ' : null}
          <TextLink href={`/w/${workspaceId}/api-reference`}>API reference</TextLink>
        </p>
      </SectionCard>

      <SectionCard id="roles-heading" title="Roles">
        <RoleGuide />
      </SectionCard>
    </div>
  );
}
