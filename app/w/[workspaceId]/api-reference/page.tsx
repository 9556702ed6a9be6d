import type { Metadata } from 'next';
import { ApiReference } from '@/components/actions/api-reference';
import { PageHeader } from '@/components/ui/page-header';
import { LIST_CONNECTIONS_TOOL, toolNameOf } from '@/lib/actions/mcp';
import { openApiDocument } from '@/lib/actions/openapi';
import { ACTION_NAMES } from '@/lib/actions/schemas';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from '../load-workspace';

export const metadata: Metadata = { title: 'API reference' };

export default async function ApiReferencePage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await requireWorkspaceForPage((await params).workspaceId);
  return (
    <>
      <PageHeader
        title="API reference"
        description="The Actions API and the MCP endpoint, generated from the same schemas the API validates with."
      />
      <ApiReference
        doc={openApiDocument()}
        settingsHref={roleAtLeast(workspace.role, 'admin') ? `/w/${workspace.id}/settings/api-keys` : null}
        toolNames={[LIST_CONNECTIONS_TOOL, ...ACTION_NAMES.map(toolNameOf)]}
      />
    </>
  );
}
