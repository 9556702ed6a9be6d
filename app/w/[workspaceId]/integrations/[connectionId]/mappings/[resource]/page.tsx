import type { Metadata } from 'next';
import { MappingEditorView } from '@/components/mapping/mapping-editor-view';
import { requireWorkspaceForPage } from '../../../../load-workspace';

export const metadata: Metadata = { title: 'Field mapping' };

interface MappingPageProps {
  params: Promise<{ workspaceId: string; connectionId: string; resource: string }>;
}

export default async function MappingPage({ params }: MappingPageProps) {
  const { workspaceId, connectionId, resource } = await params;
  const loaded = await requireWorkspaceForPage(workspaceId);
  // Whether the person may edit comes with the mapping itself (canEdit), decided by the server.
  return <MappingEditorView workspaceId={loaded.workspace.id} connectionId={connectionId} resource={decodeURIComponent(resource)} />;
}
