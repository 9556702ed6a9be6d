import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SyncHistoryView } from '@/components/sync/sync-history-view';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Sync history' };

export default async function SyncHistoryPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  return (
    <>
      <PageHeader title="Sync history" description="Every sync run, what it changed, and anything that failed." />
      {/* useSearchParams needs a Suspense boundary above it. */}
      <Suspense>
        <SyncHistoryView workspaceId={workspaceId} />
      </Suspense>
    </>
  );
}
