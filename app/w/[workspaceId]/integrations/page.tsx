import type { Metadata } from 'next';
import { IntegrationsView } from '@/components/integrations/integrations-view';
import { PageHeader } from '@/components/ui/page-header';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from '../load-workspace';

export const metadata: Metadata = { title: 'Integrations' };

export default async function IntegrationsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  // The layout has already turned away visitors and non-members; this is the same cached lookup.
  const loaded = await requireWorkspaceForPage((await params).workspaceId);
  return (
    <>
      <PageHeader
        title="Integrations"
        description="The business tools this workspace exchanges data with, and the catalog of tools you can connect."
      />
      <IntegrationsView workspaceId={loaded.workspace.id} canManage={roleAtLeast(loaded.workspace.role, 'admin')} />
    </>
  );
}
