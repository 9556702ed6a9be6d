import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { connectionParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';
import { syncNow, syncNowSchema } from '@/lib/sync/actions';

export const POST = handler({ params: connectionParams }, async ({ request, params, user, db }) => {
  const { mode } = await readJson(request, syncNowSchema);
  const result = await syncNow(db, user, params.workspaceId, params.connectionId, mode);
  return NextResponse.json(result, { status: result.created ? 202 : 200 });
});
