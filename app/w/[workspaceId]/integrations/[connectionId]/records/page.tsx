import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RecordsView } from '@/components/sync/records-view';
import { requireWorkspaceForPage } from '../../../load-workspace';

export const metadata: Metadata = { title: 'Records' };

interface RecordsPageProps {
  params: Promise<{ workspaceId: string; connectionId: string }>;
}

export default async function RecordsPage({ params }: RecordsPageProps) {
  const { workspaceId, connectionId } = await params;
  const loaded = await requireWorkspaceForPage(workspaceId);
  return (
    // useSearchParams needs a Suspense boundary above it.
    <Suspense>
      <RecordsView workspaceId={loaded.workspace.id} connectionId={connectionId} />
    </Suspense>
  );
}
