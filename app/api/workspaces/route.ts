import { NextResponse } from 'next/server';
import { z } from 'zod';
import { handler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { createWorkspace, listMyWorkspaces, workspaceNameSchema } from '@/lib/workspaces/workspaces';

export const GET = handler({}, async ({ user, db }) => ({ workspaces: await listMyWorkspaces(db, user) }));

export const POST = handler({}, async ({ request, user, db }) => {
  const { name } = await readJson(request, z.object({ name: workspaceNameSchema }));
  return NextResponse.json({ workspace: await createWorkspace(db, user, name) }, { status: 201 });
});
