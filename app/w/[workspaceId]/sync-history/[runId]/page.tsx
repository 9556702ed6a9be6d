import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { RunDetailView } from '@/components/sync/run-detail-view';
import { roleAtLeast } from '@/lib/workspaces/access';
import { loadWorkspaceForPage } from '../../load-workspace';

export const metadata: Metadata = { title: 'Sync run' };

interface RunPageProps {
  params: Promise<{ workspaceId: string; runId: string }>;
}

export default async function RunPage({ params }: RunPageProps) {
  const { workspaceId, runId } = await params;
  const loaded = await loadWorkspaceForPage(workspaceId);
  if (loaded === 'signed-out') redirect('/sign-in');
  if (loaded === 'not-found') notFound();
  return <RunDetailView workspaceId={loaded.workspace.id} runId={runId} canManage={roleAtLeast(loaded.workspace.role, 'admin')} />;
}
