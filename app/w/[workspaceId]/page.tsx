import type { Metadata } from 'next';
import { OverviewView } from '@/components/overview/overview-view';
import { PageHeader } from '@/components/ui/page-header';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from './load-workspace';

export const metadata: Metadata = { title: 'Overview' };

// The workspace's landing page: how every connection is doing and what needs someone's attention.
export default async function OverviewPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  // The layout has already turned away visitors and non-members; this is the same cached lookup.
  const loaded = await requireWorkspaceForPage((await params).workspaceId);
  return (
    <>
      <PageHeader title="Overview" description="How every connection is doing, what ran, and what needs your attention." />
      <OverviewView workspaceId={loaded.workspace.id} canManage={roleAtLeast(loaded.workspace.role, 'admin')} />
    </>
  );
}
