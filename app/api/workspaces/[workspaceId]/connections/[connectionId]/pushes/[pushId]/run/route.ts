import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { pushParams, runPushNow } from '@/lib/push/pushes';

export const POST = handler({ params: pushParams }, async ({ params, user, db }) => {
  const { runId } = await runPushNow(db, user, params, params.pushId);
  return NextResponse.json({ runId }, { status: 202 });
});
