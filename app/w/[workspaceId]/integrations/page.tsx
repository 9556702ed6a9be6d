import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PlugIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { TextLink } from '@/components/ui/text-link';
import { roleAtLeast } from '@/lib/workspaces/access';
import { loadWorkspaceForPage } from '../load-workspace';

export const metadata: Metadata = { title: 'Integrations' };

export default async function IntegrationsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  // The layout has already turned away visitors and non-members; this is the same cached lookup.
  const loaded = await loadWorkspaceForPage(workspaceId);
  const isAdmin = typeof loaded !== 'string' && roleAtLeast(loaded.workspace.role, 'admin');
  return (
    <>
      <PageHeader title="Integrations" description="The business tools this workspace exchanges data with." />
      <EmptyState icon={<PlugIcon className="size-6" />} title="No tools connected yet">
        <p>
          Admins connect your calendars, CRMs, booking systems, email and GitHub here by signing in to each tool with
          OAuth, then choose which records to sync.
        </p>
        {isAdmin ? (
          <p>
            The provider catalog is being added, so there is nothing to connect just yet. Meanwhile you can{' '}
            <TextLink href={`/w/${workspaceId}/settings`}>invite your teammates</TextLink>.
          </p>
        ) : (
          <p>
            The provider catalog is being added, so there is nothing to connect just yet. Once it is, ask an admin of
            this workspace to connect the tools your team uses.
          </p>
        )}
      </EmptyState>
    </>
  );
}
