// Airtable's webhooks API in the sandbox ✔ (https://airtable.com/developers/web/api/webhooks-overview
// and the create / list / refresh / delete / list-payloads pages):
//  - POST /v0/bases/{baseId}/webhooks {notificationUrl, specification} → {id, macSecretBase64,
//    expirationTime}; the secret is shown only here. At most 2 per OAuth integration per base
//    (shared/providers.md; the error type answered past it is our guess ~).
//  - GET /v0/bases/{baseId}/webhooks → {webhooks: [{id, notificationUrl, cursorForNextPayload,
//    isHookEnabled, areNotificationsEnabled, expirationTime, specification, …}]}: an integration
//    sees only its own ✔.
//  - POST …/webhooks/{id}/refresh → {expirationTime} (7 days on) ✔; DELETE …/webhooks/{id} ✔.
//  - GET …/webhooks/{id}/payloads?cursor=&limit=≤50 → {payloads, cursor, mightHaveMore} ✔; listing
//    also extends the webhook by 7 days ✔. Payload n is the table's n-th change after the webhook
//    was created (the dataset's change log), one record per payload, in Airtable's shape ✔
//    (webhooks-payload, webhooks-table-changed).
//  - Pings: POST notificationUrl {base: {id}, webhook: {id}, timestamp} with
//    `X-Airtable-Content-MAC: hmac-sha256=` + hex(HMAC-SHA256(base64-decoded secret, body)) ✔.
import crypto from 'node:crypto';
import { z } from 'zod';
import { getDataset } from '../../data';
import { lowerBound } from '../../data-view';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { hmacSha256 } from '../../webhook-signing';
import { deliveryCommon, deliveryMutation, repeat, send, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { accountOfBase, API_HOST, FIELDS, PROFILE, type AirtableAccount } from './accounts';
import { bookOf, type Hook } from './book';
import { recordsSpec } from './data';
import { apiError, authorize, notFound } from './oauth';

export const MAC_HEADER = 'X-Airtable-Content-MAC';
const LIFETIME_MS = 7 * 86_400_000;
const PER_INTEGRATION_PER_BASE = 2;
const PAYLOAD_LIMIT = 50;

export const hooksOf = (state: SandboxState) => bookOf(state).hooks;

const view = (hook: Hook, cursorForNextPayload: number) => ({
  id: hook.id,
  type: 'client',
  isHookEnabled: hook.enabled,
  notificationUrl: hook.notificationUrl,
  cursorForNextPayload,
  areNotificationsEnabled: hook.enabled && hook.notificationUrl !== null,
  createdTime: hook.createdTime,
  expirationTime: new Date(hook.expiresAt).toISOString(),
  specification: hook.specification,
  lastSuccessfulNotificationTime: null,
});

/** The dataset change-log positions that are this webhook's payloads, oldest first. */
function payloadPositions(state: SandboxState, hook: Hook): number[] {
  const account = accountOfBase(hook.baseId) as AirtableAccount;
  const dataset = getDataset(state, recordsSpec, account.id);
  const from = lowerBound(dataset.logTick, dataset.logTick.length, hook.createdTick, false);
  return Array.from({ length: dataset.logTick.length - from }, (_, i) => from + i);
}

const cells = (fields: Record<string, unknown>) =>
  Object.fromEntries(FIELDS.filter((f) => fields[f.name] !== undefined).map((f) => [f.id, fields[f.name]]));

/** Payload for one change-log entry, as Airtable shapes it ✔. */
function payloadAt(state: SandboxState, hook: Hook, position: number) {
  const account = accountOfBase(hook.baseId) as AirtableAccount;
  const dataset = getDataset(state, recordsSpec, account.id);
  const index = dataset.logIndex[position];
  const tick = dataset.logTick[position];
  const id = dataset.idOf(index);
  const fields = dataset.fields(index);
  const change =
    dataset.createdAt[index] === tick
      ? { createdRecordsById: { [id]: { createdTime: new Date(tick).toISOString(), cellValuesByFieldId: cells(fields) } } }
      : dataset.deletedAt[index] === tick
        ? { destroyedRecordIds: [id] }
        : { changedRecordsById: { [id]: { current: { cellValuesByFieldId: cells(fields) } } } };
  return {
    timestamp: new Date(tick).toISOString(),
    baseTransactionNumber: position + 1,
    actionMetadata: { source: 'client', sourceMetadata: { user: { id: account.id, email: account.email, permissionLevel: 'create' } } },
    payloadFormat: 'v0',
    changedTablesById: { [account.table.id]: change },
  };
}

/** The webhook the path names, owned by the bearer's integration, or the error to answer. */
function ownHook(ctx: RequestContext): { ok: true; hook: Hook } | { ok: false; reply: Reply } {
  const auth = authorize(ctx, 'webhook:manage');
  if (!auth.ok) return auth;
  const hook = hooksOf(ctx.state).get(ctx.params.id ?? '');
  if (!hook || hook.baseId !== ctx.params.baseId || hook.clientId !== auth.clientId || hook.accountId !== auth.account.id) return { ok: false, reply: notFound() };
  return { ok: true, hook };
}

const createBody = z.object({
  notificationUrl: z.string().url().nullable().optional(),
  specification: z.object({ options: z.object({ filters: z.object({ dataTypes: z.array(z.enum(['tableData', 'tableFields', 'tableMetadata'])).min(1) }).passthrough() }).passthrough() }),
});

const HOOK = /^\/v0\/bases\/(?<baseId>app[A-Za-z0-9]+)\/webhooks\/(?<id>ach[A-Za-z0-9]+)/;

export const webhookRoutes: Route[] = [
  {
    method: 'POST',
    hosts: [API_HOST],
    path: '/v0/bases/{baseId}/webhooks',
    pattern: /^\/v0\/bases\/(?<baseId>app[A-Za-z0-9]+)\/webhooks$/,
    handle(ctx) {
      const auth = authorize(ctx, 'webhook:manage');
      if (!auth.ok) return auth.reply;
      if (ctx.params.baseId !== auth.account.base.id) return notFound();
      ctx.state.countDataRequest(`${PROFILE.id}.webhooks`);
      const raw = readJson(ctx);
      const parsed = raw.ok ? createBody.safeParse(raw.value) : null;
      if (!parsed?.success) return apiError(422, 'INVALID_REQUEST_UNKNOWN', 'notificationUrl and specification.options.filters.dataTypes are required');
      const mine = [...hooksOf(ctx.state).values()].filter((h) => h.enabled && h.baseId === auth.account.base.id && h.clientId === auth.clientId);
      if (mine.length >= PER_INTEGRATION_PER_BASE) return apiError(422, 'TOO_MANY_WEBHOOKS_BY_OAUTH_INTEGRATION_IN_BASE', 'An OAuth integration may have at most 2 webhooks per base');
      const now = Date.now();
      const hook: Hook = {
        id: `ach${crypto.randomBytes(10).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 14)}`,
        baseId: auth.account.base.id,
        accountId: auth.account.id,
        clientId: auth.clientId,
        notificationUrl: parsed.data.notificationUrl ?? null,
        macSecretBase64: crypto.randomBytes(32).toString('base64'),
        specification: parsed.data.specification,
        createdTick: ctx.state.data.snapshot(),
        createdTime: new Date(now).toISOString(),
        expiresAt: now + LIFETIME_MS,
        enabled: true,
      };
      hooksOf(ctx.state).set(hook.id, hook);
      return json(200, { id: hook.id, macSecretBase64: hook.macSecretBase64, expirationTime: new Date(hook.expiresAt).toISOString() });
    },
  },
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/v0/bases/{baseId}/webhooks',
    pattern: /^\/v0\/bases\/(?<baseId>app[A-Za-z0-9]+)\/webhooks$/,
    handle(ctx) {
      const auth = authorize(ctx, 'webhook:manage');
      if (!auth.ok) return auth.reply;
      if (ctx.params.baseId !== auth.account.base.id) return notFound();
      ctx.state.countDataRequest(`${PROFILE.id}.webhooks`);
      const mine = [...hooksOf(ctx.state).values()].filter((h) => h.baseId === auth.account.base.id && h.clientId === auth.clientId);
      return json(200, { webhooks: mine.map((h) => view(h, payloadPositions(ctx.state, h).length + 1)) });
    },
  },
  {
    method: 'POST',
    hosts: [API_HOST],
    path: '/v0/bases/{baseId}/webhooks/{id}/refresh',
    pattern: new RegExp(`${HOOK.source}/refresh$`),
    handle(ctx) {
      const found = ownHook(ctx);
      if (!found.ok) return found.reply;
      ctx.state.countDataRequest(`${PROFILE.id}.webhooks`);
      found.hook.expiresAt = Date.now() + LIFETIME_MS;
      return json(200, { expirationTime: new Date(found.hook.expiresAt).toISOString() });
    },
  },
  {
    method: 'DELETE',
    hosts: [API_HOST],
    path: '/v0/bases/{baseId}/webhooks/{id}',
    pattern: new RegExp(`${HOOK.source}$`),
    handle(ctx) {
      const found = ownHook(ctx);
      if (!found.ok) return found.reply;
      ctx.state.countDataRequest(`${PROFILE.id}.webhooks`);
      hooksOf(ctx.state).delete(found.hook.id);
      return json(200, {});
    },
  },
  {
    method: 'GET',
    hosts: [API_HOST],
    path: '/v0/bases/{baseId}/webhooks/{id}/payloads',
    pattern: new RegExp(`${HOOK.source}/payloads$`),
    handle(ctx) {
      const found = ownHook(ctx);
      if (!found.ok) return found.reply;
      ctx.state.countDataRequest(`${PROFILE.id}.payloads`);
      const cursor = Number(ctx.query.get('cursor') ?? 1);
      const limit = Number(ctx.query.get('limit') ?? PAYLOAD_LIMIT);
      if (!Number.isInteger(cursor) || cursor < 1) return apiError(422, 'INVALID_REQUEST_UNKNOWN', 'cursor must be a positive integer');
      if (!Number.isInteger(limit) || limit < 1 || limit > PAYLOAD_LIMIT) return apiError(422, 'INVALID_REQUEST_UNKNOWN', `limit must be between 1 and ${PAYLOAD_LIMIT}`);
      const { hook } = found;
      // Listing payloads extends an active webhook's life ✔.
      hook.expiresAt = Date.now() + LIFETIME_MS;
      const positions = payloadPositions(ctx.state, hook);
      const page = positions.slice(cursor - 1, cursor - 1 + limit);
      return json(200, {
        payloads: page.map((p) => payloadAt(ctx.state, hook, p)),
        cursor: cursor + page.length,
        mightHaveMore: cursor - 1 + page.length < positions.length,
      });
    },
  },
];

/** The MAC header for a body under a webhook's secret (decoded to bytes first ✔). */
export const macOf = (secretBase64: string, body: string) => `hmac-sha256=${hmacSha256(Buffer.from(secretBase64, 'base64'), body).toString('hex')}`;

export function pingBody(hook: Pick<Hook, 'baseId' | 'id'>, now = new Date()): string {
  return JSON.stringify({ base: { id: hook.baseId }, webhook: { id: hook.id }, timestamp: now.toISOString() });
}

/** The ping of `hook` to its notificationUrl (or to `url`, keeping the notificationUrl's query). */
export function signedPing(hook: Pick<Hook, 'baseId' | 'id' | 'notificationUrl' | 'macSecretBase64'>, options: { url?: string; secret?: string } = {}): SignedDelivery {
  let url = hook.notificationUrl ?? options.url ?? '';
  if (options.url && hook.notificationUrl) {
    const target = new URL(options.url);
    new URL(hook.notificationUrl).searchParams.forEach((value, name) => target.searchParams.set(name, value));
    url = target.toString();
  }
  const body = pingBody(hook);
  return { url, headers: { [MAC_HEADER]: macOf(options.secret ?? hook.macSecretBase64, body) }, body, signatureHeader: MAC_HEADER };
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  mutate: deliveryMutation.optional(),
});

export const webhooks: SandboxWebhooks<AirtableAccount> = {
  signatureHeader: MAC_HEADER,
  /** A ping from the newest webhook on the account's base (the app's), else from a made-up one. */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const hook = [...hooksOf(state).values()].filter((h) => h.enabled && h.baseId === account.base.id).at(-1) ?? {
      id: 'achMadeUp00000001',
      baseId: account.base.id,
      notificationUrl: `${url}?channel=${crypto.randomUUID()}`,
      macSecretBase64: crypto.randomBytes(32).toString('base64'),
    };
    return signedPing(hook, { url, secret });
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = PROFILE.accounts.find((a) => a.id === request.account) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: account.id, resource: 'records', ...request.mutate }) : undefined;
    const deliveries: Answer[] = [];
    for (const hook of [...hooksOf(state).values()].filter((h) => h.enabled && h.baseId === account.base.id && h.notificationUrl)) {
      deliveries.push(...(await repeat(request.repeat, () => send(signedPing(hook, { url: request.url, secret: request.secret }), request.tamper))));
    }
    return { deliveries, mutation: changed };
  }),
  // What Airtable would list (never the MAC secret).
  control: {
    'airtable-webhooks': (state) =>
      [...hooksOf(state).values()].map((h) => ({ ...view(h, payloadPositions(state, h).length + 1), baseId: h.baseId })),
  },
};
