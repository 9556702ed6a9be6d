import type { Metadata } from 'next';
import { ApiKeysView } from '@/components/api-keys/api-keys-view';
import { PageHeader } from '@/components/ui/page-header';
import { TextLink } from '@/components/ui/text-link';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from '../../load-workspace';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await requireWorkspaceForPage((await params).workspaceId);
  return (
    <>
      <p className="mb-2 text-sm">
        <TextLink href={`/w/${workspace.id}/settings`}>← Settings</TextLink>
      </p>
      <PageHeader title="API keys" description="Workspace keys for the Actions API and the MCP endpoint: scoped, shown once, revocable." />
      <ApiKeysView workspaceId={workspace.id} canManage={roleAtLeast(workspace.role, 'admin')} />
    </>
  );
}
