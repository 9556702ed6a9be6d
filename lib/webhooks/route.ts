// The Next route handlers for webhook endpoints: validate the path, hand the raw request to
// receiveWebhook. Never a 500: a database that cannot be opened answers 503 (retry later).
//
// proxy.ts does not run on webhook addresses: on the busiest route, a provider's delivery would
// pay for a second request object and the proxy's round trip (about a tenth of the route's CPU,
// measured with bench:webhooks). Their answers get the same API security headers here instead.
import type { z } from 'zod';
import { getDb } from '../db/app-database';
import { errorResponse } from '../http/errors';
import { withApiSecurityHeaders as withSecurityHeaders } from '../http/security-headers';
import type { Db } from '../db/engine';
import { receiveWebhook, type WebhookEndpoint } from './ingest';

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export function webhookRoute<P extends z.ZodType>(params: P, endpoint: (params: z.output<P>) => WebhookEndpoint) {
  return async (request: Request, context: RouteContext): Promise<Response> => withSecurityHeaders(request, await receive(request, context));

  async function receive(request: Request, context: RouteContext): Promise<Response> {
    const parsed = params.safeParse(await context.params);
    if (!parsed.success) return errorResponse('not_found', 'There is no webhook endpoint at this address.');
    let db: Db;
    try {
      db = await getDb();
    } catch (error) {
      console.error('webhook: the database is unavailable:', (error as Error).message);
      return errorResponse('unavailable', 'The database is unavailable; retry later.', { headers: { 'retry-after': '30' } });
    }
    return receiveWebhook(db, request, endpoint(parsed.data));
  }
}

/**
 * HEAD on a webhook address: 200 where deliveries are received, 404 elsewhere. Some providers
 * probe the address this way before they subscribe it; nothing is read, stored or verified.
 */
export function webhookProbe<P extends z.ZodType>(params: P, receives: (params: z.output<P>) => boolean) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const parsed = params.safeParse(await context.params);
    return withSecurityHeaders(request, new Response(null, { status: parsed.success && receives(parsed.data) ? 200 : 404 }));
  };
}

/**
 * GET on a webhook address: answered by the provider's handshake, for providers that validate an
 * address with a GET before they save a subscription; 405 where no handshake answers.
 * Like the handshake on POST, nothing is read, stored or verified.
 */
export function webhookHandshake<P extends z.ZodType>(params: P, handshakeOf: (params: z.output<P>) => ((request: Request) => Response | null) | undefined) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const parsed = params.safeParse(await context.params);
    const answer = parsed.success ? handshakeOf(parsed.data)?.(request) : null;
    if (answer) return withSecurityHeaders(request, answer);
    if (!parsed.success) return withSecurityHeaders(request, errorResponse('not_found', 'There is no webhook endpoint at this address.'));
    return withSecurityHeaders(request, errorResponse('method_not_allowed', 'Webhooks are delivered with POST.', { headers: { allow: 'POST, HEAD' } }));
  };
}
