import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { Suspense } from 'react';
import { ConnectionWebhooksView } from '@/components/webhooks/connection-webhooks-view';
import { roleAtLeast } from '@/lib/workspaces/access';
import { loadWorkspaceForPage } from '../../../load-workspace';

export const metadata: Metadata = { title: 'Webhooks' };

interface ConnectionWebhooksPageProps {
  params: Promise<{ workspaceId: string; connectionId: string }>;
}

export default async function ConnectionWebhooksPage({ params }: ConnectionWebhooksPageProps) {
  const { workspaceId, connectionId } = await params;
  const loaded = await loadWorkspaceForPage(workspaceId);
  if (loaded === 'signed-out') redirect('/sign-in');
  if (loaded === 'not-found') notFound();
  return (
    // useSearchParams needs a Suspense boundary above it.
    <Suspense>
      <ConnectionWebhooksView workspaceId={loaded.workspace.id} connectionId={connectionId} canManage={roleAtLeast(loaded.workspace.role, 'admin')} />
    </Suspense>
  );
}
