import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { HistoryIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { TextLink } from '@/components/ui/text-link';

export const metadata: Metadata = { title: 'Sync history' };

export default async function SyncHistoryPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  return (
    <>
      <PageHeader title="Sync history" description="Every sync run, what it changed, and anything that failed." />
      <EmptyState icon={<HistoryIcon className="size-6" />} title="No syncs yet">
        <p>
          Runs appear here once someone <TextLink href={`/w/${workspaceId}/integrations`}>connects a tool</TextLink>.
          Each run lists the records it created, updated or skipped, and why anything failed.
        </p>
      </EmptyState>
    </>
  );
}
