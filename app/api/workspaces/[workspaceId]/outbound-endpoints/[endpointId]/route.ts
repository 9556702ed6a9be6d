// GET: one endpoint (members). PATCH { url?, description?, eventTypes?, enabled? }: edits it, or
// disables/enables it (owners and admins; enabling clears an endpoint_failing issue). DELETE:
// removes it with its delivery log.
import { handler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { deleteEndpoint, getEndpoint, updateEndpoint, updateEndpointSchema } from '@/lib/outbound/endpoints';
import { endpointParams } from './params';

export const GET = handler({ params: endpointParams }, async ({ params, user, db }) => ({
  endpoint: await getEndpoint(db, user, params.workspaceId, params.endpointId),
}));

export const PATCH = handler({ params: endpointParams }, async ({ request, params, user, db }) => {
  const input = await readJson(request, updateEndpointSchema);
  return { endpoint: await updateEndpoint(db, user, params.workspaceId, params.endpointId, input) };
});

export const DELETE = handler({ params: endpointParams }, async ({ params, user, db }) => {
  await deleteEndpoint(db, user, params.workspaceId, params.endpointId);
  return { ok: true };
});
