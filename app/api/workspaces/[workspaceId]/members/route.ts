import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';
import { mailLinkBase } from '@/lib/mail/config';
import { addMember, addMemberSchema, listMembers } from '@/lib/workspaces/members';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) =>
  listMembers(db, user, params.workspaceId),
);

// Always an invitation, answered the same way whether or not the address has an account.
export const POST = handler({ params: workspaceParams }, async ({ request, params, user, db }) => {
  const input = await readJson(request, addMemberSchema);
  const result = await addMember(db, user, params.workspaceId, input, { baseUrl: mailLinkBase(request) });
  return NextResponse.json(result, { status: 201 });
});
