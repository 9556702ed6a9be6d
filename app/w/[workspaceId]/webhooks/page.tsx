import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { Suspense } from 'react';
import { WorkspaceWebhooksView } from '@/components/webhooks/workspace-webhooks-view';
import { PageHeader } from '@/components/ui/page-header';
import { roleAtLeast } from '@/lib/workspaces/access';
import { loadWorkspaceForPage } from '../load-workspace';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const loaded = await loadWorkspaceForPage(workspaceId);
  if (loaded === 'signed-out') redirect('/sign-in');
  if (loaded === 'not-found') notFound();
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
