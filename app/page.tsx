import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getSession } from '@/lib/auth/session';
import { getDb } from '@/lib/db/app-database';
import { LAST_WORKSPACE_COOKIE } from '@/lib/client/workspace-cookie';
import { listMyWorkspaces } from '@/lib/workspaces/workspaces';

// `/` only routes: back to the last workspace opened, else the first one, else creating one.
export default async function Home() {
  const session = await getSession();
  if (!session) redirect('/sign-in');
  const workspaces = await listMyWorkspaces(await getDb(), session);
  if (workspaces.length === 0) redirect('/workspaces/new');
  const lastId = (await cookies()).get(LAST_WORKSPACE_COOKIE)?.value;
  const target = workspaces.find((workspace) => workspace.id === lastId) ?? workspaces[0];
  redirect(`/w/${target.id}`);
}
