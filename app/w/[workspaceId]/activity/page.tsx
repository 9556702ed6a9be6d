import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ActivityView } from '@/components/activity/activity-view';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Activity' };

export default async function ActivityPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  return (
    <>
      <PageHeader title="Activity" description="Who changed what in this workspace, newest first." />
      {/* useSearchParams needs a Suspense boundary above it. */}
      <Suspense>
        <ActivityView workspaceId={workspaceId} />
      </Suspense>
    </>
  );
}
