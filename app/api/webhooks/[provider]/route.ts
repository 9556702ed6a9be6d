// POST /api/webhooks/<provider>: app-level deliveries (HubSpot, Square) and Google push
// notifications. No session and no CSRF check: the provider's signature is the authentication.
import { providerParams } from '@/lib/http/params';
import { webhookRoute } from '@/lib/webhooks/route';

export const POST = webhookRoute(providerParams, (params) => ({ provider: params.provider }));
