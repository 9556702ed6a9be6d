// POST /api/webhooks/connections/<connectionId>: a connection's own endpoint for any tool that
// signs with the Standard Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature).
import { z } from 'zod';
import { webhookRoute } from '@/lib/webhooks/route';

export const POST = webhookRoute(z.object({ connectionId: z.string().max(100) }), (params) => ({ connectionId: params.connectionId }));
