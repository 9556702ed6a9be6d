// POST: process a stored delivery again (owners and admins). 202: it is queued, not yet done.
import { NextResponse } from 'next/server';
import { handler } from '@/lib/http/handler';
import { replayWebhookEvent } from '@/lib/webhooks/history';
import { webhookEventParams } from '@/lib/webhooks/params';

export const POST = handler({ params: webhookEventParams }, async ({ params, user, db }) =>
  NextResponse.json({ event: await replayWebhookEvent(db, user, params.workspaceId, params.eventId) }, { status: 202 }),
);
