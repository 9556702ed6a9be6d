import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { createPush, listPushes, pushConnectionParams } from '@/lib/push/pushes';
import { pushConfigInputSchema } from '@/lib/push/schemas';

export const GET = handler({ params: pushConnectionParams }, async ({ params, user, db }) => ({
  pushes: await listPushes(db, user, params),
}));

export const POST = handler({ params: pushConnectionParams }, async ({ request, params, user, db }) => {
  const push = await createPush(db, user, params, await readJson(request, pushConfigInputSchema));
  return NextResponse.json(push, { status: 201 });
});
