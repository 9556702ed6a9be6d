// Running one action on one connection: the single path the public API, the MCP tools and the
// Try it panel share. In order:
//   action known → scope → connection (in the principal's workspace; paused, disconnected,
//   pending and needs_reauth answered clearly) → the provider supports it → input validated
//   (validation_failed with JSON pointers; phones to E.164) → Idempotency-Key for writes →
//   the handler, through withProviderClient, counting provider requests → output validated →
//   in one transaction: write-through of the records the action created or changed (the sync's
//   own storage, so they are mapped and hashed as a sync would store them), the action log row,
//   and the key's stored answer.
// Failures are classified (see errors.ts) into problem details; nothing thrown escapes: the
// answer says what happened, and the log has it.
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/engine';
import { asService } from '../db/rls';
import { connections, type Connection } from '../db/schema';
import { withProviderClient } from '../connections/provider-access';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../http/error-codes';
import { HttpError } from '../http/errors';
import { fieldErrors, isFieldErrorList, jsonPointer, problemBody, describeFieldErrors, type ProblemDetails } from '../http/problem';
import { describeForLog, findNul, httpErrorFromDatabase } from '../http/route';
import { isCountryCode, toE164, type CountryCode } from '../mapping/phones';
import { ProviderHttpError, ProviderProtocolError, ReauthorizationRequiredError, TemporaryProviderError } from '../providers/errors';
import { findProvider } from '../providers/registry';
import type { ActionContext, ActionRecord, ActionResult, ProviderClient, ProviderDefinition } from '../providers/types';
import { storeWebhookRecords } from '../webhooks/records';
import { ActionError } from './errors';
import { acquireKey, finishKey, parseIdempotencyKey, providerIdempotencyKey, requestFingerprint, type HeldKey } from './idempotency';
import { insertActionLog, type ActionLogDraft } from './log';
import type { ApiPrincipal } from './principal';
import { ACTION_NAMES, ACTIONS, isActionName, scopeOf, type ActionName } from './schemas';

export const DEFAULT_PHONE_REGION = 'US';

/**
 * The country assumed for phone numbers written without one. Workspaces have no setting for it
 * yet: DEFAULT_PHONE_REGION (an ISO 3166 code, e.g. GB) applies to every workspace, else US.
 */
export function defaultPhoneRegion(env: Record<string, string | undefined> = process.env): CountryCode {
  const configured = env.DEFAULT_PHONE_REGION?.trim().toUpperCase();
  return configured && isCountryCode(configured) ? (configured as CountryCode) : DEFAULT_PHONE_REGION;
}

export interface RunActionRequest {
  connectionId: string;
  /** The action's name as the caller gave it (checked against the registry). */
  action: string;
  /** The JSON input, not yet validated. */
  input: unknown;
  /** The Idempotency-Key header as sent (required for writes, ignored for reads). */
  idempotencyKey?: string | null;
}

export interface ActionSuccess<O = unknown> {
  action: ActionName;
  connectionId: string;
  output: O;
  /** The action log row of the call that produced this answer. */
  logId: string;
}

export interface ActionAnswer {
  ok: boolean;
  /** The HTTP status of the answer. */
  status: number;
  /** ActionSuccess when ok, else problem details (RFC 9457). */
  body: ActionSuccess | ProblemDetails;
  /** Headers the answer carries (Idempotent-Replayed, Retry-After). */
  headers: Record<string, string>;
  replayed: boolean;
  /** This call's action log row. */
  logId: string;
}

export interface RunActionOptions {
  /** How long a running Idempotency-Key is held before another request may take it over (tests). */
  leaseMs?: number;
}

type AnyHandler = (context: ActionContext, input: unknown) => Promise<ActionResult<unknown>>;

export async function runAction(db: Db, principal: ApiPrincipal, request: RunActionRequest, options: RunActionOptions = {}): Promise<ActionAnswer> {
  const logId = crypto.randomUUID();
  const started = performance.now();
  const counter = { requests: 0 };
  const log: ActionLogDraft = {
    id: logId,
    workspaceId: principal.workspaceId,
    connectionId: null,
    provider: null,
    apiKeyId: principal.apiKeyId,
    userId: principal.userId,
    action: String(request.action).slice(0, 100),
    status: 'failed',
    httpStatus: 500,
    errorCode: null,
    error: null,
    latencyMs: 0,
    providerRequests: 0,
    idempotencyKey: null,
    replayed: false,
    retried: false,
    input: request.input ?? null,
    output: null,
  };
  let held: HeldKey | null = null;
  let provider: ProviderDefinition | undefined;

  try {
    const action = request.action;
    if (!isActionName(action)) {
      throw new ActionError('action_not_supported', `There is no action "${String(action).slice(0, 64)}". Actions: ${ACTION_NAMES.join(', ')}.`);
    }
    const spec = ACTIONS[action];
    const scope = scopeOf(action);
    if (!principal.scopes.includes(scope)) {
      throw new HttpError('insufficient_scope', `${action} needs an API key with the ${scope} scope.`, { requiredScope: scope });
    }

    const connection = await findConnection(db, principal.workspaceId, request.connectionId);
    log.connectionId = connection.id;
    log.provider = connection.provider;
    refuseUnusable(connection);
    provider = findProvider(connection.provider);
    if (!provider) throw new HttpError('provider_not_configured', `The provider ${connection.provider} is no longer available on this server.`);
    const handler = provider.actions?.[action] as AnyHandler | undefined;
    if (!handler) {
      const supported = Object.keys(provider.actions ?? {});
      throw new ActionError(
        'action_not_supported',
        `${provider.name} does not support ${action}.${supported.length ? ` It supports: ${supported.join(', ')}.` : ' It supports no actions yet.'}`,
      );
    }

    const region = defaultPhoneRegion();
    const input = normalisePhones(validateInput(spec.input, request.input), region);
    log.input = input;

    let retry = false;
    let providerKey: string | null = null;
    if (spec.write) {
      const key = parseIdempotencyKey(request.idempotencyKey);
      if (!key) {
        throw new HttpError(
          'idempotency_key_required',
          `${action} changes data at ${provider.name}: send an Idempotency-Key header (a new unique value, such as a UUID, per operation, and the same value when retrying it).`,
        );
      }
      log.idempotencyKey = key;
      const acquired = await acquireKey(
        db,
        { workspaceId: principal.workspaceId, key, connectionId: connection.id, action, requestHash: requestFingerprint({ connectionId: connection.id, action, input }) },
        { leaseMs: options.leaseMs },
      );
      if (acquired.kind === 'replay') return await replay(db, log, started, acquired.status, acquired.body);
      if (acquired.kind === 'refuse') {
        throw new HttpError(
          acquired.code,
          acquired.code === 'idempotency_key_reused'
            ? 'This Idempotency-Key was already used for a different request (another action, connection or input). Use a new key for a new operation.'
            : 'A request with this Idempotency-Key is still being processed. Retry after it finishes.',
        );
      }
      held = acquired.held;
      retry = held.retry;
      log.retried = retry;
      providerKey = providerIdempotencyKey({ workspaceId: principal.workspaceId, connectionId: connection.id, action, key });
    }

    const result = await withProviderClient(db, connection.id, (client) =>
      handler({ client: counting(client, counter), idempotencyKey: providerKey, retry, defaultRegion: region, now: new Date() }, input),
    );
    log.providerRequests = counter.requests;

    const output = spec.output.safeParse(result?.output);
    if (!output.success) {
      console.error(
        `action ${action} on ${provider.id}: the handler's output does not match the schema at ${output.error.issues.map((i) => jsonPointer(i.path) || '/').join(', ')}`,
      );
      throw new HttpError('provider_error', `${provider.name}'s answer could not be read as the result of ${action}.`);
    }

    const body: ActionSuccess = { action, connectionId: connection.id, output: output.data, logId };
    const found = provider;
    await asService(db, async (tx) => {
      await writeThrough(tx, connection, found, result.records ?? [], logId);
      await insertActionLog(tx, { ...log, status: 'succeeded', httpStatus: 200, output: output.data, latencyMs: performance.now() - started });
      if (held) await finishKey(tx, held, { status: 200, body });
    });
    return { ok: true, status: 200, body, headers: {}, replayed: false, logId };
  } catch (error) {
    log.providerRequests = counter.requests;
    const failure = classify(error, provider);
    const body = problemBody(failure.code, failure.detail, { ...failure.extensions, instance: `urn:uuid:${logId}`, logId });
    const status = ERROR_CODES[failure.code].status;
    try {
      await asService(db, async (tx) => {
        await insertActionLog(tx, { ...log, status: 'failed', httpStatus: status, errorCode: failure.code, error: failure.detail, latencyMs: performance.now() - started });
        if (held) await finishKey(tx, held, { status, code: failure.code, body });
      });
    } catch (logError) {
      // The answer still goes out; a key left running is taken over once its lease ends.
      console.error(`action log for ${logId} could not be written: ${describeForLog(logError)}`);
    }
    return { ok: false, status, body, headers: failure.headers, replayed: false, logId };
  }
}

async function findConnection(db: Db, workspaceId: string, connectionId: string): Promise<Connection> {
  const notFound = new HttpError('not_found', 'That connection does not exist in this workspace.');
  if (!z.uuid().safeParse(connectionId).success) throw notFound;
  const [connection] = await asService(db, (tx) =>
    tx
      .select()
      .from(connections)
      .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId))),
  );
  if (!connection) throw notFound;
  return connection;
}

function refuseUnusable(connection: Connection): void {
  switch (connection.status) {
    case 'disconnected':
      throw new HttpError('conflict', `${connection.displayName} is disconnected: reconnect it in the app before running actions.`, { connectionStatus: connection.status });
    case 'needs_reauth':
      throw new HttpError(
        'needs_reauth',
        `${connection.displayName} needs to be reconnected before it can run actions${connection.statusReason ? ` (${connection.statusReason})` : ''}.`,
        { connectionStatus: connection.status },
      );
    case 'paused':
      throw new HttpError('conflict', `${connection.displayName} is paused: resume it to run actions.`, { connectionStatus: connection.status });
    case 'pending':
      throw new HttpError('conflict', `${connection.displayName} has not finished connecting.`, { connectionStatus: connection.status });
    default:
      return;
  }
}

function validateInput(schema: z.ZodType, input: unknown): unknown {
  const nulAt = findNul(input);
  if (nulAt) throw new ActionError('validation_failed', 'The input must not contain the NUL character (U+0000).', [{ pointer: jsonPointer(nulAt), detail: 'must not contain the NUL character (U+0000)' }]);
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues);
    throw new ActionError('validation_failed', describeFieldErrors(errors), errors);
  }
  return parsed.data;
}

/**
 * Phone numbers in the input (`phone`, `attendee.phone`, at most two levels down) to E.164, with
 * the region for numbers written without a country code; one that cannot be a phone number is a
 * validation failure at its pointer.
 */
export function normalisePhones(input: unknown, region: CountryCode): unknown {
  const walk = (value: unknown, path: string[]): unknown => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || path.length > 2) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'phone' && typeof item === 'string') {
        const e164 = toE164(item, region);
        if (!e164) {
          const pointer = jsonPointer([...path, key]);
          throw new ActionError('validation_failed', `${pointer}: not a phone number (numbers without a country code are read as ${region})`, [
            { pointer, detail: `not a phone number (numbers without a country code are read as ${region})` },
          ]);
        }
        out[key] = e164;
      } else if (key === 'options') {
        out[key] = item;
      } else {
        out[key] = walk(item, [...path, key]);
      }
    }
    return out;
  };
  return walk(input, []);
}

/** The connection's client, counting the provider requests the handler makes. */
function counting(client: ProviderClient, counter: { requests: number }): ProviderClient {
  return {
    ...client,
    request(url, options) {
      counter.requests += 1;
      return client.request(url, options);
    },
  };
}

/** The records an action created or changed, stored as a sync stores them (mapped, hashed, never over a newer version). */
async function writeThrough(tx: Tx, connection: Connection, provider: ProviderDefinition, records: ActionRecord[], logId: string): Promise<void> {
  if (records.length === 0) return;
  // Only what this connection keeps: a resource the admin turned off has no stored records for the
  // action's result to join. A resource no sync lists (its records come only from webhooks and
  // actions: Telegram's messages) is kept as they bring it; no listing will find it missing.
  const synced = new Set(provider.resources.filter((r) => connection.resources.includes(r.id)).map((r) => r.id));
  const byResource = new Map<string, ActionRecord[]>();
  for (const record of records) {
    if (!synced.has(record.resource)) continue;
    byResource.set(record.resource, [...(byResource.get(record.resource) ?? []), record]);
  }
  for (const [resource, group] of byResource) {
    await storeWebhookRecords(
      tx,
      { workspaceId: connection.workspaceId, connectionId: connection.id, resource },
      group.map((record, index) => ({
        externalId: record.externalId,
        data: record.data,
        deleted: record.deleted,
        occurredAt: null,
        eventRowId: `${logId}:${resource}:${index}`,
      })),
    );
  }
}

async function replay(db: Db, log: ActionLogDraft, started: number, status: number, body: unknown): Promise<ActionAnswer> {
  const stored = (body ?? {}) as Partial<ActionSuccess> & Partial<ProblemDetails>;
  const ok = status < 400;
  const code = !ok && isErrorCode(stored.code) ? stored.code : null;
  await asService(db, (tx) =>
    insertActionLog(tx, {
      ...log,
      status: ok ? 'succeeded' : 'failed',
      httpStatus: status,
      errorCode: code,
      error: !ok && typeof stored.detail === 'string' ? stored.detail : null,
      replayed: true,
      output: ok ? (stored.output ?? null) : null,
      latencyMs: performance.now() - started,
    }),
  );
  return {
    ok,
    status,
    body: body as ActionSuccess | ProblemDetails,
    headers: { 'Idempotent-Replayed': 'true' },
    replayed: true,
    logId: log.id,
  };
}

interface Failure {
  code: ErrorCode;
  detail: string;
  extensions: Record<string, unknown>;
  headers: Record<string, string>;
}

/** What a failure means to the caller (see errors.ts); secrets never reach the detail. */
export function classify(error: unknown, provider?: ProviderDefinition): Failure {
  const name = provider?.name ?? 'The provider';
  const none = { extensions: {}, headers: {} };
  if (error instanceof ActionError || error instanceof HttpError) {
    const extensions: Record<string, unknown> = {};
    const issues = (error.details as { issues?: unknown } | undefined)?.issues;
    if (error.code === 'validation_failed' && isFieldErrorList(error.details)) extensions.errors = error.details;
    else if (error.code === 'validation_failed' && Array.isArray(issues)) extensions.errors = fieldErrors(issues as z.core.$ZodIssue[]);
    else if (error.details && typeof error.details === 'object' && !Array.isArray(error.details)) Object.assign(extensions, error.details);
    return { code: error.code, detail: error.message, extensions, headers: {} };
  }
  if (error instanceof ReauthorizationRequiredError) {
    return { code: 'needs_reauth', detail: `${name} no longer accepts this connection's credentials; reconnect it in the app.`, ...none };
  }
  if (error instanceof ProviderHttpError) {
    if (error.status === 429) {
      const seconds = error.retryAfterSeconds;
      return {
        code: 'provider_rate_limited',
        detail: `${name} is rate limiting this connection${seconds !== undefined ? `; retry in ${seconds} s` : ''}.`,
        extensions: seconds !== undefined ? { retryAfterSeconds: seconds } : {},
        headers: seconds !== undefined ? { 'Retry-After': String(Math.ceil(seconds)) } : {},
      };
    }
    if (error.status === 401) {
      return { code: 'needs_reauth', detail: `${name} rejected this connection's credentials (401: ${error.providerMessage}); reconnect it.`, ...none };
    }
    return { code: 'provider_error', detail: `${name} answered ${error.status}: ${error.providerMessage}`, extensions: { providerStatus: error.status }, headers: {} };
  }
  if (error instanceof TemporaryProviderError || error instanceof ProviderProtocolError) {
    return { code: 'provider_error', detail: error.message, ...none };
  }
  if (error instanceof z.ZodError) {
    console.error(`action on ${provider?.id ?? 'unknown provider'}: unexpected answer shape at ${error.issues.map((i) => jsonPointer(i.path) || '/').join(', ')}`);
    return { code: 'provider_error', detail: `${name} answered in a shape we did not expect.`, ...none };
  }
  const database = httpErrorFromDatabase(error);
  if (database) return { code: database.code, detail: database.message, ...none };
  const incident = crypto.randomUUID();
  console.error(`[${incident}] action failed: ${describeForLog(error)}`);
  return { code: 'internal_error', detail: `Something went wrong on our side (incident ${incident}).`, ...none };
}
