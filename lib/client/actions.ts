// Actions as the browser sees them: the registry with each input's JSON Schema
// (lib/actions/openapi.ts actionDefinitions), the action log (lib/actions/log.ts), and running one
// from the Try it panel through the public API itself (/api/v1, the signed-in admin's session
// with X-Workspace-Id): the same runAction path an API key or an MCP agent takes.
import { apiFetch } from './api';
import type { Jsonified } from './types';
import type { ActionDefinitions } from '@/lib/actions/openapi';
import type { ActionLogEntry as ServerLogEntry } from '@/lib/actions/log';
import type { ProblemDetails } from '@/lib/http/problem';

export type { JsonSchema } from '@/lib/actions/openapi';
export type ActionDefinitionsResponse = Jsonified<ActionDefinitions>;
export type ActionDefinition = ActionDefinitionsResponse['actions'][number];
export type ActionLogEntry = Jsonified<ServerLogEntry>;

export interface ActionLogPage {
  data: ActionLogEntry[];
  nextCursor: string | null;
}

export const ACTION_STATUSES = ['succeeded', 'failed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export function fetchActionDefinitions(workspaceId: string, signal?: AbortSignal) {
  return apiFetch<ActionDefinitionsResponse>(`/api/workspaces/${workspaceId}/actions/definitions`, { signal });
}

export function fetchActionLog(workspaceId: string, query: URLSearchParams, signal?: AbortSignal) {
  return apiFetch<ActionLogPage>(`/api/workspaces/${workspaceId}/actions?${query}`, { signal });
}

/** What a Try it run answered: the public API's own status, body and headers. */
export interface TryItAnswer {
  status: number;
  ok: boolean;
  /** The success body (`{ action, connectionId, output, logId }`) or problem details. */
  body: { action?: string; connectionId?: string; output?: unknown; logId?: string } | ProblemDetails | null;
  replayed: boolean;
  /** The problem code of a failure. */
  code: string | null;
  logId: string | null;
  rateLimitRemaining: string | null;
  elapsedMs: number;
}

export function actionPath(connectionId: string, action: string): string {
  return `/api/v1/connections/${encodeURIComponent(connectionId)}/actions/${encodeURIComponent(action)}`;
}

export async function runActionFromBrowser(options: {
  workspaceId: string;
  connectionId: string;
  action: string;
  input: unknown;
  idempotencyKey?: string;
}): Promise<TryItAnswer> {
  const started = performance.now();
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'content-type': 'application/json',
    'x-workspace-id': options.workspaceId,
  };
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(actionPath(options.connectionId, options.action), {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify(options.input ?? {}),
    });
  } catch {
    return {
      status: 0,
      ok: false,
      body: null,
      replayed: false,
      code: 'network_error',
      logId: null,
      rateLimitRemaining: null,
      elapsedMs: performance.now() - started,
    };
  }
  const body = (await response.json().catch(() => null)) as TryItAnswer['body'];
  const record = (body ?? {}) as Record<string, unknown>;
  return {
    status: response.status,
    ok: response.ok,
    body,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    code: !response.ok && typeof record.code === 'string' ? record.code : null,
    logId: typeof record.logId === 'string' ? record.logId : null,
    rateLimitRemaining: response.headers.get('ratelimit-remaining'),
    elapsedMs: performance.now() - started,
  };
}

/** 35 → "35 ms", 1_240 → "1.2 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
