import { handler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { deletePush, getPush, pushParams, pushUpdateSchema, updatePush } from '@/lib/push/pushes';

export const GET = handler({ params: pushParams }, async ({ params, user, db }) => getPush(db, user, params, params.pushId));

export const PATCH = handler({ params: pushParams }, async ({ request, params, user, db }) =>
  updatePush(db, user, params, params.pushId, await readJson(request, pushUpdateSchema)),
);

export const DELETE = handler({ params: pushParams }, async ({ params, user, db }) => {
  await deletePush(db, user, params, params.pushId);
  return new Response(null, { status: 204 });
});
