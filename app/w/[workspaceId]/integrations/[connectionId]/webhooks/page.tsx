import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ConnectionWebhooksView } from '@/components/webhooks/connection-webhooks-view';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from '../../../load-workspace';

export const metadata: Metadata = { title: 'Webhooks' };

interface ConnectionWebhooksPageProps {
  params: Promise<{ workspaceId: string; connectionId: string }>;
}

export default async function ConnectionWebhooksPage({ params }: ConnectionWebhooksPageProps) {
  const { workspaceId, connectionId } = await params;
  const loaded = await requireWorkspaceForPage(workspaceId);
  return (
    // useSearchParams needs a Suspense boundary above it.
    <Suspense>
      <ConnectionWebhooksView workspaceId={loaded.workspace.id} connectionId={connectionId} canManage={roleAtLeast(loaded.workspace.role, 'admin')} />
    </Suspense>
  );
}
