import { handler } from '@/lib/http/handler';
import { memberParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';
import { changeMemberRole, changeRoleSchema, removeMember } from '@/lib/workspaces/members';

export const PATCH = handler({ params: memberParams }, async ({ request, params, user, db }) => {
  const { role } = await readJson(request, changeRoleSchema);
  await changeMemberRole(db, user, params.workspaceId, params.userId, role);
  return { ok: true };
});

export const DELETE = handler({ params: memberParams }, async ({ params, user, db }) => {
  await removeMember(db, user, params.workspaceId, params.userId);
  return { ok: true };
});
