import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';
import { addMember, addMemberSchema, listMembers } from '@/lib/workspaces/members';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) =>
  listMembers(db, user, params.workspaceId),
);

export const POST = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  const result = await addMember(db, user, params.workspaceId, await readJson(request, addMemberSchema));
  return NextResponse.json(result, { status: 201 });
});
