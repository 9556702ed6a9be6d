import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { EmailVerificationNotice } from '@/components/auth/email-verification-notice';
import { AppShell } from '@/components/shell/app-shell';
import { loadWorkspaceForPage, requireWorkspaceForPage } from './load-workspace';
import { getDb } from '@/lib/db/app-database';
import { outboxVisible } from '@/lib/mail/config';
import { listMyWorkspaces } from '@/lib/workspaces/workspaces';

interface WorkspaceLayoutProps {
  children: ReactNode;
  params: Promise<{ workspaceId: string }>;
}

export async function generateMetadata({ params }: WorkspaceLayoutProps): Promise<Metadata> {
  const loaded = await loadWorkspaceForPage((await params).workspaceId).catch(() => null);
  if (!loaded || typeof loaded === 'string') return {};
  const name = loaded.workspace.name;
  return { title: { default: name, template: `%s · ${name} · Integration Hub` } };
}

export default async function WorkspaceLayout({ children, params }: WorkspaceLayoutProps) {
  const { workspaceId } = await params;
  const loaded = await requireWorkspaceForPage(workspaceId);
  const { session, workspace } = loaded;
  const workspaces = await listMyWorkspaces(await getDb(), session);

  return (
    <AppShell
      current={{ id: workspace.id, name: workspace.name, role: workspace.role }}
      workspaces={workspaces.map(({ id, name, role }) => ({ id, name, role }))}
      userEmail={session.email}
      outbox={outboxVisible()}
    >
      <EmailVerificationNotice session={session} className="mb-6" />
      {children}
    </AppShell>
  );
}
