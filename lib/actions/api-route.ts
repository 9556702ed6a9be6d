// The wrapper every /api/v1 route is declared with (the public API's counterpart of
// lib/http/handler.ts). It:
//   1. authenticates: `Authorization: Bearer <workspace API key>`, or the session of a signed-in
//      owner or admin of the workspace named by `X-Workspace-Id` (or `?workspaceId=`) — the in-app
//      console. A malformed, unknown or revoked key is 401 (a key never falls back to the session);
//   2. rate-limits per key (or person): RateLimit-* headers on every answer, 429 rate_limited with
//      Retry-After past the limit (rate-limit.ts);
//   3. checks the route's scope (403 insufficient_scope);
//   4. validates path params, runs the body, and answers JSON — or, for every failure,
//      application/problem+json (RFC 9457) from the same code table as the app's other routes.
// Bodies stay thin: parse, call lib/, return data (or an ApiReply for a status of their own).
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import { authenticateApiKey } from '../api-keys/keys';
import type { ApiScope } from '../api-keys/scopes';
import type { Db } from '../db/engine';
import { HttpError } from '../http/errors';
import { problemBody, problemResponse } from '../http/problem';
import { MAX_JSON_BYTES, parseWith } from '../http/route';
import { readBodyWithLimit } from '../http/body';
import { rejectCrossSiteWrite } from '../http/same-origin';
import { hasScope, principalForKey, principalForUser, type ApiPrincipal } from './principal';
import { ApiRateLimiter, rateLimitHeaders } from './rate-limit';
import { classify } from './run';

export interface ApiContext<P> {
  request: Request;
  params: P;
  principal: ApiPrincipal;
  db: Db;
}

/** A body's answer with its own status and headers (a problem when status ≥ 400 and body is one). */
export class ApiReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface ApiRouteDeps {
  db: () => Promise<Db>;
  session: () => Promise<SessionUser | null>;
  limiter: ApiRateLimiter;
}

/** `any`: any valid key, whatever its scopes. */
export type RequiredScope = ApiScope | 'any';

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type Body<P> = (context: ApiContext<P>) => Promise<unknown>;

const REALM = 'Bearer realm="integration-hub"';

export function createApiRoute(deps: ApiRouteDeps) {
  return function apiRoute<P extends z.ZodType = z.ZodUnknown>(options: { scope: RequiredScope; params?: P }, body: Body<z.output<P>>) {
    return async (request: Request, context: RouteContext): Promise<Response> => {
      let headers: Record<string, string> = {};
      try {
        const db = await deps.db();
        const principal = await authenticate(db, request, deps.session);
        const rate = deps.limiter.take(principal.id);
        headers = rateLimitHeaders(rate);
        if (!rate.allowed) {
          throw new HttpError('rate_limited', `Too many requests for ${principal.label}: at most ${rate.limit} a minute. Retry in ${rate.retryAfterSeconds} s.`);
        }
        if (options.scope !== 'any' && !hasScope(principal, options.scope)) {
          headers['WWW-Authenticate'] = `${REALM}, error="insufficient_scope", scope="${options.scope}"`;
          throw new HttpError('insufficient_scope', `This needs an API key with the ${options.scope} scope.`, { requiredScope: options.scope });
        }
        const params = options.params ? parseWith(options.params, await context.params) : undefined;
        const result = await body({ request, params: params as z.output<P>, principal, db });
        return answer(result, headers);
      } catch (error) {
        const failure = classify(error);
        if (failure.code === 'unauthorized') {
          headers['WWW-Authenticate'] = request.headers.has('authorization') ? `${REALM}, error="invalid_token"` : REALM;
        }
        return problemResponse(problemBody(failure.code, failure.detail, failure.extensions), { ...headers, ...failure.headers });
      }
    };
  };
}

function answer(result: unknown, headers: Record<string, string>): Response {
  if (result instanceof Response) {
    for (const [name, value] of Object.entries(headers)) if (!result.headers.has(name)) result.headers.set(name, value);
    return result;
  }
  const reply = result instanceof ApiReply ? result : new ApiReply(200, result ?? { ok: true });
  const isProblem = reply.status >= 400 && reply.body !== null && typeof reply.body === 'object' && 'code' in reply.body && 'type' in reply.body;
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: {
      'content-type': isProblem ? 'application/problem+json' : 'application/json',
      'cache-control': 'no-store',
      ...headers,
      ...reply.headers,
    },
  });
}

const workspaceIdSchema = z.uuid();

async function authenticate(db: Db, request: Request, session: () => Promise<SessionUser | null>): Promise<ApiPrincipal> {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) throw new HttpError('unauthorized', 'Send the API key as "Authorization: Bearer ihk_…".');
    const key = await authenticateApiKey(db, match[1]);
    if (!key) throw new HttpError('unauthorized', 'This API key is not valid, or it has been revoked.');
    return principalForKey(key);
  }
  const user = await session();
  if (!user) throw new HttpError('unauthorized', 'Send a workspace API key (Authorization: Bearer ihk_…), or sign in as an admin of the workspace.');
  const workspaceId = request.headers.get('x-workspace-id') ?? new URL(request.url).searchParams.get('workspaceId');
  if (!workspaceId || !workspaceIdSchema.safeParse(workspaceId).success) {
    throw new HttpError('bad_request', 'Signed-in requests name their workspace: send its id in the X-Workspace-Id header (or ?workspaceId=).');
  }
  rejectCrossSiteWrite(request);
  return principalForUser(db, user, workspaceId);
}

/**
 * An action's JSON input: an empty body is `{}`; anything else must be a JSON object sent as
 * application/json, at most MAX_JSON_BYTES. Validation against the action's schema is runAction's.
 */
export async function readActionInput(request: Request): Promise<unknown> {
  const bytes = await readBodyWithLimit(request, MAX_JSON_BYTES, { tooLarge: 'The request body is too large.' });
  const text = bytes.toString('utf8');
  if (text.trim() === '') return {};
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new HttpError('unsupported_media_type', 'Send the input as JSON (Content-Type: application/json).');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError('bad_request', 'The request body is not valid JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError('bad_request', 'The input must be a JSON object.');
  return body;
}
