// POST /api/webhooks/<provider>: app-level deliveries (HubSpot, Square) and Google push
// notifications. No session and no CSRF check: the provider's signature is the authentication.
import { providerParams } from '@/lib/http/params';
import { webhookProvider } from '@/lib/webhooks/providers';
import { webhookHandshake, webhookProbe, webhookRoute } from '@/lib/webhooks/route';

export const POST = webhookRoute(providerParams, (params) => ({ provider: params.provider }));
// Providers that probe the address before subscribing it get 200 wherever deliveries are received.
export const HEAD = webhookProbe(providerParams, (params) => webhookProvider(params.provider) !== null);
// Providers that validate the address with a GET get their handshake's answer.
export const GET = webhookHandshake(providerParams, (params) => webhookProvider(params.provider)?.webhooks.handshake);
