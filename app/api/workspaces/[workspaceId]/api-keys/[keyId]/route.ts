// DELETE: revokes an API key at once (owners and admins); the row stays, so the action log keeps
// naming it. Revoking a revoked key changes nothing.
import { z } from 'zod';
import { revokeApiKey } from '@/lib/api-keys/keys';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';

const params = workspaceParams.extend({ keyId: z.uuid({ error: 'keyId must be a valid id' }) });

export const DELETE = handler({ params }, async ({ params, user, db }) => ({
  key: await revokeApiKey(db, user, params.workspaceId, params.keyId),
}));
