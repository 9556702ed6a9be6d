// POST /api/v1/connections/{connectionId}/actions/{action}: runs one action (lib/actions/run.ts).
// The action's own scope (actions:read or actions:write) is checked by runAction, which also
// logs the call; writes need an Idempotency-Key header.
import { z } from 'zod';
import { ApiReply, apiRoute, readActionInput } from '@/lib/actions/api';
import { runAction } from '@/lib/actions/run';

const params = z.object({
  connectionId: z.uuid({ error: 'connectionId must be a connection id' }),
  action: z.string().regex(/^[a-z][a-z_]{0,30}\.[a-z_]{1,30}$/, { error: 'action must be an action name such as contacts.lookup' }),
});

export const POST = apiRoute({ scope: 'any', params }, async ({ request, params, principal, db }) => {
  const answer = await runAction(db, principal, {
    connectionId: params.connectionId,
    action: params.action,
    input: await readActionInput(request),
    idempotencyKey: request.headers.get('idempotency-key'),
  });
  return new ApiReply(answer.status, answer.body, answer.headers);
});
