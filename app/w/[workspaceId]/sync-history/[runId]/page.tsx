import type { Metadata } from 'next';
import { RunDetailView } from '@/components/sync/run-detail-view';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from '../../load-workspace';

export const metadata: Metadata = { title: 'Sync run' };

interface RunPageProps {
  params: Promise<{ workspaceId: string; runId: string }>;
}

export default async function RunPage({ params }: RunPageProps) {
  const { workspaceId, runId } = await params;
  const loaded = await requireWorkspaceForPage(workspaceId);
  return <RunDetailView workspaceId={loaded.workspace.id} runId={runId} canManage={roleAtLeast(loaded.workspace.role, 'admin')} />;
}
