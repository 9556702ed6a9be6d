import type { Metadata } from 'next';
import { Suspense } from 'react';
import { WorkspaceWebhooksView } from '@/components/webhooks/workspace-webhooks-view';
import { PageHeader } from '@/components/ui/page-header';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from '../load-workspace';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const loaded = await requireWorkspaceForPage(workspaceId);
  return (
    <>
      <PageHeader title="Webhooks" description="Every delivery from every connected tool: verified, deduplicated, and what it led to." />
      {/* useSearchParams needs a Suspense boundary above it. */}
      <Suspense>
        <WorkspaceWebhooksView workspaceId={loaded.workspace.id} canManage={roleAtLeast(loaded.workspace.role, 'admin')} />
      </Suspense>
    </>
  );
}
