// A workspace's outbound endpoints and their delivery log, as the routes use them. Members read
// (RLS: workspace members see endpoints and deliveries); owners and admins create, edit, rotate,
// enable/disable, delete, replay and send test events — the writes are the service path's after
// inWorkspace checked the role, like API keys. Secrets are shown once, in the answer that made them.
import { and, count, desc, eq, gt, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import { recordActivity } from '../activity/activity';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { OUTBOUND_DELIVERY_STATUSES, outboundDeliveries, outboundEndpoints, outboundEndpointSecrets, workspaceEvents } from '../db/schema';
import { SUBSCRIBABLE_EVENT_TYPES } from '../events/types';
import { HttpError, notFound } from '../http/errors';
import { pagingQuery } from '../http/params';
import { parseWith } from '../http/route';
import { inWorkspace } from '../workspaces/access';
import { AddressRefused, checkEndpointUrl, type Resolver } from './address-check';
import { failQueuedDeliveries } from './deliveries';
import { enqueueEvent } from './fanout';
import { clearEndpointFailing } from './health';
import { kickOutbound } from './kick';
import { storeNewSecret } from './secrets';

/** Endpoints a workspace may hold. */
export const MAX_ENDPOINTS = 20;

const noNul = (value: string) => !value.includes('\u0000');

const eventTypesSchema = z
  .array(z.enum(SUBSCRIBABLE_EVENT_TYPES, { error: `event types are ${SUBSCRIBABLE_EVENT_TYPES.join(', ')}` }), { error: 'eventTypes must be a list' })
  .min(1, { error: 'Choose at least one event type' })
  .max(SUBSCRIBABLE_EVENT_TYPES.length)
  .transform((types) => SUBSCRIBABLE_EVENT_TYPES.filter((type) => types.includes(type)));

const urlSchema = z
  .string({ error: 'url is required' })
  .trim()
  .min(1, { error: 'Enter the endpoint URL' })
  .max(2048, { error: 'A URL is at most 2,048 characters' })
  .refine(noNul, 'must not contain NUL characters');

const descriptionSchema = z.string().trim().max(500, { error: 'A description is at most 500 characters' }).refine(noNul, 'must not contain NUL characters');

export const createEndpointSchema = z.object({ url: urlSchema, description: descriptionSchema.default(''), eventTypes: eventTypesSchema });
export type CreateEndpointInput = z.input<typeof createEndpointSchema>;

export const updateEndpointSchema = z
  .object({ url: urlSchema.optional(), description: descriptionSchema.optional(), eventTypes: eventTypesSchema.optional(), enabled: z.boolean().optional() })
  .refine((input) => Object.values(input).some((value) => value !== undefined), { error: 'Nothing to change' });
export type UpdateEndpointInput = z.input<typeof updateEndpointSchema>;

export const deliveryQuerySchema = z.object({
  status: z.enum(OUTBOUND_DELIVERY_STATUSES, { error: `status is one of ${OUTBOUND_DELIVERY_STATUSES.join(', ')}` }).optional(),
  ...pagingQuery(),
});
export type DeliveryQuery = z.input<typeof deliveryQuerySchema>;

/** What members see of an endpoint (never a secret). */
export interface OutboundEndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  /** While a rotated-out secret still signs: until when. */
  previousSecretValidUntil: Date | null;
  deliveries: { pending: number; retrying: number; succeeded: number; failed: number };
}

export interface OutboundDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: (typeof OUTBOUND_DELIVERY_STATUSES)[number];
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  firstAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface EndpointOptions {
  /** Resolves the host when the URL is saved (tests inject it). */
  resolve?: Resolver;
}

const ENDPOINT_COLUMNS = {
  id: outboundEndpoints.id,
  url: outboundEndpoints.url,
  description: outboundEndpoints.description,
  eventTypes: outboundEndpoints.eventTypes,
  enabled: outboundEndpoints.enabled,
  disabledReason: outboundEndpoints.disabledReason,
  disabledAt: outboundEndpoints.disabledAt,
  failingSince: outboundEndpoints.failingSince,
  createdAt: outboundEndpoints.createdAt,
};

async function checkedUrl(url: string, options: EndpointOptions): Promise<string> {
  try {
    return (await checkEndpointUrl(url, { resolve: options.resolve })).toString();
  } catch (error) {
    if (error instanceof AddressRefused) throw new HttpError('validation_failed', error.message, { issues: [{ path: ['url'], message: error.message }] });
    throw error;
  }
}

export async function listEndpoints(db: Db, user: SessionUser, workspaceId: string): Promise<OutboundEndpointView[]> {
  const rows = await inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const endpoints = await tx.select(ENDPOINT_COLUMNS).from(outboundEndpoints).where(eq(outboundEndpoints.workspaceId, workspaceId)).orderBy(desc(outboundEndpoints.createdAt));
    const ids = endpoints.map((e) => e.id);
    const counts = ids.length
      ? await tx
          .select({ endpointId: outboundDeliveries.endpointId, status: outboundDeliveries.status, n: count() })
          .from(outboundDeliveries)
          .where(inArray(outboundDeliveries.endpointId, ids))
          .groupBy(outboundDeliveries.endpointId, outboundDeliveries.status)
      : [];
    return { endpoints, counts };
  });
  // When a rotated-out secret stops signing is not secret, but its table is the service path's.
  const ids = rows.endpoints.map((e) => e.id);
  const retiring = ids.length
    ? await asService(db, (tx) =>
        tx
          .select({ endpointId: outboundEndpointSecrets.endpointId, expiresAt: outboundEndpointSecrets.expiresAt })
          .from(outboundEndpointSecrets)
          .where(and(eq(outboundEndpointSecrets.workspaceId, workspaceId), inArray(outboundEndpointSecrets.endpointId, ids), isNotNull(outboundEndpointSecrets.expiresAt), gt(outboundEndpointSecrets.expiresAt, sql`now()`))),
      )
    : [];
  return rows.endpoints.map((endpoint) => {
    const deliveries = { pending: 0, retrying: 0, succeeded: 0, failed: 0 };
    for (const c of rows.counts) if (c.endpointId === endpoint.id) deliveries[c.status] = Number(c.n);
    const until = retiring.filter((r) => r.endpointId === endpoint.id).map((r) => r.expiresAt!.getTime());
    return { ...endpoint, previousSecretValidUntil: until.length ? new Date(Math.max(...until)) : null, deliveries };
  });
}

async function endpointOf(db: Db, user: SessionUser, workspaceId: string, endpointId: string, minimum: 'viewer' | 'admin') {
  return inWorkspace(db, user, workspaceId, minimum, async ({ tx }) => {
    const [row] = await tx
      .select(ENDPOINT_COLUMNS)
      .from(outboundEndpoints)
      .where(and(eq(outboundEndpoints.id, endpointId), eq(outboundEndpoints.workspaceId, workspaceId)));
    if (!row) throw notFound('That endpoint does not exist in this workspace.');
    return row;
  });
}

export async function getEndpoint(db: Db, user: SessionUser, workspaceId: string, endpointId: string): Promise<OutboundEndpointView> {
  await endpointOf(db, user, workspaceId, endpointId, 'viewer');
  const all = await listEndpoints(db, user, workspaceId);
  return all.find((e) => e.id === endpointId)!;
}

/** Creates an endpoint; the answer holds its signing secret, which is never shown again. */
export async function createEndpoint(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  input: CreateEndpointInput,
  options: EndpointOptions = {},
): Promise<{ endpoint: OutboundEndpointView; secret: string }> {
  const parsed = parseWith(createEndpointSchema, input);
  await inWorkspace(db, user, workspaceId, 'admin', async () => undefined);
  const url = await checkedUrl(parsed.url, options);
  const { id, secret } = await asService(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7403, hashtext(${workspaceId}))`);
    const [{ n }] = await tx.select({ n: count() }).from(outboundEndpoints).where(eq(outboundEndpoints.workspaceId, workspaceId));
    if (Number(n) >= MAX_ENDPOINTS) throw new HttpError('conflict', `A workspace can have ${MAX_ENDPOINTS} endpoints; delete one first.`);
    const [row] = await tx
      .insert(outboundEndpoints)
      .values({ workspaceId, url, description: parsed.description, eventTypes: parsed.eventTypes, createdBy: user.userId })
      .returning({ id: outboundEndpoints.id });
    const { secret } = await storeNewSecret(tx, workspaceId, row.id, user.userId);
    await activityFor(tx, user, workspaceId, 'outbound_endpoint.created', row.id, { url, eventTypes: parsed.eventTypes });
    return { id: row.id, secret };
  });
  return { endpoint: await getEndpoint(db, user, workspaceId, id), secret };
}

export async function updateEndpoint(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  endpointId: string,
  input: UpdateEndpointInput,
  options: EndpointOptions = {},
): Promise<OutboundEndpointView> {
  const parsed = parseWith(updateEndpointSchema, input);
  const existing = await endpointOf(db, user, workspaceId, endpointId, 'admin');
  const url = parsed.url !== undefined && parsed.url !== existing.url ? await checkedUrl(parsed.url, options) : undefined;
  const enabling = parsed.enabled === true && !existing.enabled;
  const disabling = parsed.enabled === false && existing.enabled;
  await asService(db, async (tx) => {
    await tx
      .update(outboundEndpoints)
      .set({
        ...(url !== undefined ? { url } : {}),
        ...(parsed.description !== undefined ? { description: parsed.description } : {}),
        ...(parsed.eventTypes !== undefined ? { eventTypes: parsed.eventTypes } : {}),
        // Enabling starts afresh: the failing streak that disabled it is over.
        ...(enabling ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null } : {}),
        ...(disabling ? { enabled: false, disabledAt: new Date(), disabledReason: `Disabled by ${user.email}.` } : {}),
      })
      .where(and(eq(outboundEndpoints.id, endpointId), eq(outboundEndpoints.workspaceId, workspaceId)));
    if (disabling) await failQueuedDeliveries(tx, endpointId, 'Not sent: the endpoint was disabled.');
    const action = enabling ? 'outbound_endpoint.enabled' : disabling ? 'outbound_endpoint.disabled' : 'outbound_endpoint.updated';
    await activityFor(tx, user, workspaceId, action, endpointId, { url: url ?? existing.url });
  });
  if (enabling) await clearEndpointFailing(db, workspaceId, endpointId);
  return getEndpoint(db, user, workspaceId, endpointId);
}

/** A new secret, shown once; the previous one keeps signing for the grace period. */
export async function rotateEndpointSecret(db: Db, user: SessionUser, workspaceId: string, endpointId: string) {
  await endpointOf(db, user, workspaceId, endpointId, 'admin');
  const rotated = await asService(db, async (tx) => {
    // Two rotations at once would both insert a "current" secret: take turns on the endpoint row.
    await tx.select({ id: outboundEndpoints.id }).from(outboundEndpoints).where(eq(outboundEndpoints.id, endpointId)).for('update');
    const result = await storeNewSecret(tx, workspaceId, endpointId, user.userId);
    await activityFor(tx, user, workspaceId, 'outbound_endpoint.secret_rotated', endpointId, {});
    return result;
  });
  return { secret: rotated.secret, previousValidUntil: rotated.previousValidUntil, endpoint: await getEndpoint(db, user, workspaceId, endpointId) };
}

export async function deleteEndpoint(db: Db, user: SessionUser, workspaceId: string, endpointId: string): Promise<void> {
  const existing = await endpointOf(db, user, workspaceId, endpointId, 'admin');
  await asService(db, async (tx) => {
    await tx.delete(outboundEndpoints).where(and(eq(outboundEndpoints.id, endpointId), eq(outboundEndpoints.workspaceId, workspaceId)));
    await activityFor(tx, user, workspaceId, 'outbound_endpoint.deleted', endpointId, { url: existing.url });
  });
  await clearEndpointFailing(db, workspaceId, endpointId);
}

export async function listDeliveries(db: Db, user: SessionUser, workspaceId: string, endpointId: string, query: DeliveryQuery) {
  const { status, page, pageSize } = parseWith(deliveryQuerySchema, query);
  return inWorkspace(db, user, workspaceId, 'viewer', async ({ tx }) => {
    const filters: SQL[] = [eq(outboundDeliveries.workspaceId, workspaceId), eq(outboundDeliveries.endpointId, endpointId)];
    if (status) filters.push(eq(outboundDeliveries.status, status));
    const [{ total }] = await tx.select({ total: count() }).from(outboundDeliveries).where(and(...filters));
    const rows = await tx
      .select({
        id: outboundDeliveries.id,
        eventId: outboundDeliveries.eventId,
        eventType: workspaceEvents.type,
        status: outboundDeliveries.status,
        attempts: outboundDeliveries.attempts,
        nextAttemptAt: outboundDeliveries.nextAttemptAt,
        lastStatusCode: outboundDeliveries.lastStatusCode,
        latencyMs: outboundDeliveries.latencyMs,
        responseExcerpt: outboundDeliveries.responseExcerpt,
        firstAttemptAt: outboundDeliveries.firstAttemptAt,
        lastAttemptAt: outboundDeliveries.lastAttemptAt,
        deliveredAt: outboundDeliveries.deliveredAt,
        createdAt: outboundDeliveries.createdAt,
      })
      .from(outboundDeliveries)
      .innerJoin(workspaceEvents, eq(workspaceEvents.id, outboundDeliveries.eventId))
      .where(and(...filters))
      .orderBy(desc(outboundDeliveries.createdAt), desc(outboundDeliveries.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    const deliveries: OutboundDeliveryView[] = rows.map((row) => ({
      ...row,
      nextAttemptAt: row.status === 'pending' || row.status === 'retrying' ? row.nextAttemptAt : null,
    }));
    return { deliveries, total: Number(total), page, pageSize };
  });
}

/** Sends a delivery again from scratch (a fresh retry schedule); the event and its id stay the same. */
export async function replayDelivery(db: Db, user: SessionUser, workspaceId: string, endpointId: string, deliveryId: string) {
  const endpoint = await endpointOf(db, user, workspaceId, endpointId, 'admin');
  if (!endpoint.enabled) throw new HttpError('conflict', 'This endpoint is disabled: enable it first.');
  const replayed = await asService(db, async (tx) => {
    const [row] = await tx
      .update(outboundDeliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), claimedAt: null })
      .where(and(eq(outboundDeliveries.id, deliveryId), eq(outboundDeliveries.endpointId, endpointId), eq(outboundDeliveries.workspaceId, workspaceId)))
      .returning({ id: outboundDeliveries.id });
    if (!row) throw notFound('That delivery does not exist for this endpoint.');
    await activityFor(tx, user, workspaceId, 'outbound_delivery.replayed', endpointId, { deliveryId });
    return row;
  });
  kickOutbound({ uncommitted: false });
  return { delivery: replayed };
}

/** Queues a `webhook.test` event to this endpoint alone. */
export async function sendTestEvent(db: Db, user: SessionUser, workspaceId: string, endpointId: string) {
  const endpoint = await endpointOf(db, user, workspaceId, endpointId, 'admin');
  if (!endpoint.enabled) throw new HttpError('conflict', 'This endpoint is disabled: enable it first.');
  const eventId = await asService(db, async (tx) => {
    const data = { endpointId, message: 'A test event from Integration Hub.', sentBy: user.email };
    const { eventId } = await enqueueEvent(tx, workspaceId, 'webhook.test', data, endpointId);
    return eventId!;
  });
  kickOutbound({ uncommitted: false });
  return { eventId };
}

async function activityFor(tx: Parameters<typeof recordActivity>[0], user: SessionUser, workspaceId: string, action: string, endpointId: string, details: Record<string, unknown>) {
  await recordActivity(tx, { workspaceId, actorId: user.userId, actorEmail: user.email, action, targetType: 'outbound_endpoint', targetId: endpointId, details });
}
