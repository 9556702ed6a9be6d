import type { Metadata } from 'next';
import { SettingsView } from '@/components/settings/settings-view';
import { PageHeader } from '@/components/ui/page-header';
import { requireWorkspaceForPage } from '../load-workspace';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const loaded = await requireWorkspaceForPage((await params).workspaceId);
  const { session, workspace } = loaded;
  return (
    <>
      <PageHeader title="Settings" description="The workspace's name, who belongs to it, and what each role can do." />
      <SettingsView
        workspaceId={workspace.id}
        workspaceName={workspace.name}
        initialRole={workspace.role}
        currentUserId={session.userId}
      />
    </>
  );
}
