import type { Metadata } from 'next';
import { ConnectionDetailView } from '@/components/integrations/connection-detail-view';
import { getConnection } from '@/lib/connections/connections';
import { getDb } from '@/lib/db/app-database';
import { connectionParams } from '@/lib/http/params';
import { roleAtLeast } from '@/lib/workspaces/access';
import { loadWorkspaceForPage, requireWorkspaceForPage } from '../../load-workspace';

interface ConnectionPageProps {
  params: Promise<{ workspaceId: string; connectionId: string }>;
}

export async function generateMetadata({ params }: ConnectionPageProps): Promise<Metadata> {
  const { workspaceId, connectionId } = await params;
  const loaded = await loadWorkspaceForPage(workspaceId).catch(() => null);
  if (!loaded || typeof loaded === 'string' || !connectionParams.safeParse({ workspaceId, connectionId }).success) {
    return { title: 'Connection' };
  }
  const connection = await getConnection(await getDb(), loaded.session, workspaceId, connectionId).catch(() => null);
  return { title: connection ? connection.displayName : 'Connection not found' };
}

export default async function ConnectionPage({ params }: ConnectionPageProps) {
  const { workspaceId, connectionId } = await params;
  const loaded = await requireWorkspaceForPage(workspaceId);
  return (
    <ConnectionDetailView
      workspaceId={loaded.workspace.id}
      connectionId={connectionId}
      canManage={roleAtLeast(loaded.workspace.role, 'admin')}
    />
  );
}
