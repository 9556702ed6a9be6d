import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { Suspense } from 'react';
import { RecordsView } from '@/components/sync/records-view';
import { loadWorkspaceForPage } from '../../../load-workspace';

export const metadata: Metadata = { title: 'Records' };

interface RecordsPageProps {
  params: Promise<{ workspaceId: string; connectionId: string }>;
}

export default async function RecordsPage({ params }: RecordsPageProps) {
  const { workspaceId, connectionId } = await params;
  const loaded = await loadWorkspaceForPage(workspaceId);
  if (loaded === 'signed-out') redirect('/sign-in');
  if (loaded === 'not-found') notFound();
  return (
    // useSearchParams needs a Suspense boundary above it.
    <Suspense>
      <RecordsView workspaceId={loaded.workspace.id} connectionId={connectionId} />
    </Suspense>
  );
}
