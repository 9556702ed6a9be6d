// Server-only: resolves the signed-in user and the workspace a /w/[workspaceId] page is about.
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { getSession, type SessionUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db/app-database';
import { HttpError } from '@/lib/http/errors';
import { workspaceParams } from '@/lib/http/params';
import { getWorkspace, type WorkspaceSummary } from '@/lib/workspaces/workspaces';

export type LoadedWorkspace = { session: SessionUser; workspace: WorkspaceSummary } | 'signed-out' | 'not-found';

/** Memoized per request, so the layout, its metadata and the page share one lookup. */
export const loadWorkspaceForPage = cache(async (workspaceId: string): Promise<LoadedWorkspace> => {
  const session = await getSession();
  if (!session) return 'signed-out';
  // A malformed id would reach the database as a cast error; it is simply not a workspace.
  if (!workspaceParams.safeParse({ workspaceId }).success) return 'not-found';
  try {
    return { session, workspace: await getWorkspace(await getDb(), session, workspaceId) };
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return 'not-found';
    throw error;
  }
});

/** For pages: the workspace, or a redirect to sign in, or the not-found page. */
export async function requireWorkspaceForPage(workspaceId: string): Promise<Exclude<LoadedWorkspace, 'signed-out' | 'not-found'>> {
  const loaded = await loadWorkspaceForPage(workspaceId);
  if (loaded === 'signed-out') redirect('/sign-in');
  if (loaded === 'not-found') notFound();
  return loaded;
}
