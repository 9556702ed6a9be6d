// Microsoft Graph's answers in the sandbox: the error envelope, authentication of API calls, and
// the page faults (failPage / rateLimitPage: 429 with Retry-After, as Graph throttles).
// https://learn.microsoft.com/graph/errors, https://learn.microsoft.com/graph/throttling
import crypto from 'node:crypto';
import { json, type Reply, type RequestContext } from '../../http';
import type { FaultReplies } from '../../data-faults';
import { authenticate } from '../../oauth';
import { PROFILE } from './accounts';

export const GRAPH_HOST = 'graph.microsoft.com';
export const CALENDAR_SCOPE = 'Calendars.ReadWrite';

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  const requestId = crypto.randomUUID();
  return json(status, { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': requestId } } }, headers);
}

export const unauthenticated = () => graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.', { 'www-authenticate': 'Bearer realm=""' });

export const faults: FaultReplies = {
  failed: (status) => graphError(status, status === 503 ? 'serviceNotAvailable' : 'generalException', 'An error occurred in the sandbox.'),
  rateLimited: () => graphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time in Retry-After.'),
};

/** The signed-in user of the request's bearer token, or the reply refusing it. */
export function authorize(ctx: RequestContext, scope = CALENDAR_SCOPE): { ok: true; account: string } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, PROFILE.id);
  if (!auth.ok) return { ok: false, reply: unauthenticated() };
  if (!auth.grant.scopes.some((s) => s.toLowerCase() === scope.toLowerCase() || s.toLowerCase().endsWith(`/${scope.toLowerCase()}`))) {
    return { ok: false, reply: graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.') };
  }
  return { ok: true, account: auth.grant.accountId };
}
