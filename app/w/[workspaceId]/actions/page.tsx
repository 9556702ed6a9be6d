import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ActionsView } from '@/components/actions/actions-view';
import { PageHeader } from '@/components/ui/page-header';
import { TextLink } from '@/components/ui/text-link';
import { roleAtLeast } from '@/lib/workspaces/access';
import { requireWorkspaceForPage } from '../load-workspace';

export const metadata: Metadata = { title: 'Actions' };

export default async function ActionsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspace } = await requireWorkspaceForPage((await params).workspaceId);
  return (
    <>
      <PageHeader
        title="Actions"
        description={
          <>
            Every action call on this workspace&apos;s connections, from API keys, MCP agents and Try it: input and output as stored (secrets
            redacted), how long it took and what the provider was asked. <TextLink href={`/w/${workspace.id}/api-reference`}>API reference</TextLink>
          </>
        }
      />
      {/* useSearchParams needs a Suspense boundary above it. */}
      <Suspense>
        <ActionsView workspaceId={workspace.id} canManage={roleAtLeast(workspace.role, 'admin')} />
      </Suspense>
    </>
  );
}
