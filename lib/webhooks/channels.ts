// Push channels as the app manages them, for providers whose deliveries are channels (their
// definition's webhooks.deliveries.kind is 'channel', e.g. Google Calendar's events.watch): one per
// target of a connection, opened on connect, replaced before they expire, stopped on disconnect.
// Each channel's token is random, stored only encrypted (bound to the channel id), and is what
// proves a notification came from the provider. The provider says what to watch and how to open
// and stop a channel; the bookkeeping here names no provider.
import crypto from 'node:crypto';
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { describeFailure } from '../connections/failures';
import { environmentOf, withProviderClient } from '../connections/provider-access';
import { decryptSecret, encryptSecret, envelopeKeyId } from '../crypto/envelope';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connections, webhookChannels, type Connection } from '../db/schema';
import type { Environment } from '../providers/environment';
import { findProvider, providers } from '../providers/registry';
import type { ChannelLifecycle, ProviderClient } from '../providers/types';
import { publicBaseUrl } from './request';
/** Replace a channel this long before it expires (the renewal job runs at least hourly). */
export const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

export type WebhookChannel = typeof webhookChannels.$inferSelect;

const channelAad = (channelId: string) => `webhook-channel:${channelId}`;

/**
 * The channel contract of a provider whose deliveries are push channels, or whose one endpoint is
 * fed by a subscription opened per connection (a token-authenticated `watch`), else null.
 */
export function channelsOf(providerId: string): ChannelLifecycle | null {
  const deliveries = findProvider(providerId)?.webhooks?.deliveries;
  if (deliveries?.kind === 'channel') return deliveries;
  if (deliveries?.kind === 'token-authenticated') return deliveries.watch ?? null;
  return null;
}

/**
 * Where the provider should post: the public URL when configured. Providers only post to public
 * HTTPS addresses; the sandbox posts anywhere, so sandbox connections fall back to this server's
 * local address (what `npm run dev` serves).
 */
export function channelAddress(providerId: string, environment: Environment): string | null {
  const base = publicBaseUrl() ?? (environment === 'sandbox' ? `http://localhost:${process.env.PORT ?? 3000}` : null);
  return base ? `${base}/api/webhooks/${providerId}` : null;
}

export interface ChannelReport {
  opened: number;
  failed: number;
  skipped?: string;
}

/** Opens a channel on every target of the connection (every calendar) that has no active one. Never throws. */
export async function openMissingChannels(db: Db, connectionId: string): Promise<ChannelReport> {
  const connection = await loadConnection(db, connectionId);
  const channels = connection ? channelsOf(connection.provider) : null;
  if (!connection || !channels) return { opened: 0, failed: 0, skipped: 'the provider has no push channels' };
  const address = channelAddress(connection.provider, environmentOf(connection));
  if (!address) return { opened: 0, failed: 0, skipped: 'PUBLIC_APP_URL is not set, so the provider has nowhere to post' };
  try {
    return await withProviderClient(db, connectionId, async (client) => {
      const targets = await channels.targets(client);
      const active = await asService(db, (tx) =>
        tx
          .select({ target: webhookChannels.target })
          .from(webhookChannels)
          .where(and(eq(webhookChannels.connectionId, connectionId), eq(webhookChannels.status, 'active'))),
      );
      const watched = new Set(active.map((row) => row.target));
      const report: ChannelReport = { opened: 0, failed: 0 };
      for (const target of targets.filter((id) => !watched.has(id))) {
        const opened = await openChannel(db, channels, client, connection, target, address);
        report[opened ? 'opened' : 'failed'] += 1;
      }
      return report;
    });
  } catch (error) {
    console.warn(`push channels for connection ${connectionId} not opened: ${describeFailure(error)}`);
    return { opened: 0, failed: 1, skipped: describeFailure(error) };
  }
}

/**
 * The row goes in first: a provider may confirm a new channel (Google's "sync" message) before
 * the request that opens it has even answered, and that confirmation must find its channel.
 */
async function openChannel(
  db: Db,
  channels: ChannelLifecycle,
  client: ProviderClient,
  connection: Connection,
  target: string,
  address: string,
): Promise<WebhookChannel | null> {
  const id = crypto.randomUUID();
  const token = crypto.randomBytes(32).toString('base64url');
  const envelope = encryptSecret(token, channelAad(id));
  await asService(db, (tx) =>
    tx.insert(webhookChannels).values({
      id,
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      provider: connection.provider,
      resource: channels.resource,
      target,
      address,
      keyId: envelopeKeyId(envelope),
      tokenEnvelope: envelope,
    }),
  );
  try {
    const opened = await channels.open(client, { id, token, address, target });
    // A key the provider issued replaces our token: it is what its deliveries are signed with.
    const issued = opened.secret ? encryptSecret(opened.secret, channelAad(id)) : null;
    const [row] = await asService(db, (tx) =>
      tx
        .update(webhookChannels)
        .set({ resourceId: opened.resourceId, expiresAt: opened.expiresAt, ...(issued ? { tokenEnvelope: issued, keyId: envelopeKeyId(issued) } : {}) })
        .where(eq(webhookChannels.id, id))
        .returning(),
    );
    if (channels.activate && opened.resourceId) {
      const resourceId = opened.resourceId;
      await channels.activate(client, { id, resourceId }).catch(async (error: unknown) => {
        await channels.stop(client, { id, resourceId }).catch(() => undefined);
        throw error;
      });
    }
    return row;
  } catch (error) {
    const reason = describeFailure(error);
    await asService(db, (tx) =>
      tx.update(webhookChannels).set({ status: 'failed', error: reason, stoppedAt: sql`now()` }).where(eq(webhookChannels.id, id)),
    );
    return null;
  }
}

/** Stops every active channel of a connection (before its credentials go). Never throws. */
export async function stopConnectionChannels(db: Db, connectionId: string): Promise<number> {
  const active = await asService(db, (tx) =>
    tx
      .select()
      .from(webhookChannels)
      .where(and(eq(webhookChannels.connectionId, connectionId), eq(webhookChannels.status, 'active'))),
  );
  if (active.length === 0) return 0;
  const channels = channelsOf(active[0].provider);
  let failure: string | null = null;
  try {
    await withProviderClient(db, connectionId, async (client) => {
      for (const channel of active) if (channel.resourceId && channels) await channels.stop(client, { id: channel.id, resourceId: channel.resourceId });
    });
  } catch (error) {
    // It expires on its own (Google: within a week); deliveries meanwhile are recorded as for a stopped channel.
    failure = `Not stopped at the provider: ${describeFailure(error)}`;
  }
  await asService(db, (tx) =>
    tx
      .update(webhookChannels)
      .set({ status: 'stopped', stoppedAt: sql`now()`, error: failure })
      .where(inArray(webhookChannels.id, active.map((c) => c.id))),
  );
  return active.length;
}

/**
 * Replaces every active channel that expires within `withinMs` (or never said when): a new
 * channel first, so no notification falls in a gap, then the old one is stopped.
 */
export async function renewExpiringChannels(db: Db, options: { now?: Date; withinMs?: number } = {}): Promise<{ renewed: number; failed: number }> {
  const now = (options.now ?? new Date()).getTime();
  const withinMs = options.withinMs ?? RENEW_BEFORE_MS;
  // A provider may want its channels renewed earlier than the default (Gmail: daily, within a 7-day watch).
  const earliest = Math.max(withinMs, ...providers.map((p) => channelsOf(p.id)?.renewWithinMs ?? 0));
  const horizon = new Date(now + earliest);
  const selected = await asService(db, (tx) =>
    tx
      .select({ channel: webhookChannels, connection: connections })
      .from(webhookChannels)
      .innerJoin(connections, eq(connections.id, webhookChannels.connectionId))
      .where(
        and(
          eq(webhookChannels.status, 'active'),
          or(isNull(webhookChannels.expiresAt), lt(webhookChannels.expiresAt, horizon)),
          inArray(connections.status, ['active', 'error', 'paused']),
        ),
      ),
  );
  const due = selected.filter(({ channel, connection }) => {
    const within = channelsOf(connection.provider)?.renewWithinMs ?? withinMs;
    return channel.expiresAt === null || channel.expiresAt.getTime() < now + within;
  });
  let renewed = 0;
  let failed = 0;
  const byConnection = new Map<string, typeof due>();
  for (const row of due) byConnection.set(row.connection.id, [...(byConnection.get(row.connection.id) ?? []), row]);
  for (const rows of byConnection.values()) {
    const connection = rows[0].connection;
    const channels = channelsOf(connection.provider);
    if (!channels) continue;
    try {
      await withProviderClient(db, connection.id, async (client) => {
        for (const { channel } of rows) {
          if ((await refreshChannel(db, channels, client, channel)) || (await replaceChannel(db, channels, client, connection, channel))) renewed += 1;
          else failed += 1;
        }
      });
    } catch (error) {
      failed += rows.length;
      const reason = `Renewal failed: ${describeFailure(error)}`;
      await asService(db, (tx) =>
        tx.update(webhookChannels).set({ error: reason }).where(inArray(webhookChannels.id, rows.map((r) => r.channel.id))),
      );
    }
  }
  return { renewed, failed };
}

/**
 * Extends the channel in place where the provider can (ChannelLifecycle.refresh): same id, same
 * secret, nothing to stop. False when it cannot, and the caller replaces it instead.
 */
async function refreshChannel(db: Db, channels: ChannelLifecycle, client: ProviderClient, channel: WebhookChannel): Promise<boolean> {
  if (!channels.refresh || !channel.resourceId) return false;
  try {
    const { expiresAt } = await channels.refresh(client, { id: channel.id, resourceId: channel.resourceId });
    await asService(db, (tx) => tx.update(webhookChannels).set({ expiresAt, error: null }).where(eq(webhookChannels.id, channel.id)));
    return true;
  } catch (error) {
    console.warn(`push channel ${channel.id} not refreshed, replacing it: ${describeFailure(error)}`);
    return false;
  }
}

/** A new channel on the old one's target first, so no notification falls in a gap, then the old one is stopped. */
async function replaceChannel(
  db: Db,
  channels: ChannelLifecycle,
  client: ProviderClient,
  connection: Connection,
  channel: WebhookChannel,
): Promise<WebhookChannel | null> {
  const address = channelAddress(connection.provider, environmentOf(connection)) ?? channel.address;
  const replacement = await openChannel(db, channels, client, connection, channel.target, address);
  if (!replacement) return null;
  let stopError: string | null = null;
  // A subscription renewed in place is already the replacement: stopping the old one would stop it.
  if (channel.resourceId && !channels.renewsInPlace) {
    await channels.stop(client, { id: channel.id, resourceId: channel.resourceId }).catch((error: unknown) => {
      stopError = `Not stopped at the provider: ${describeFailure(error)}`;
    });
  }
  await asService(db, (tx) =>
    tx
      .update(webhookChannels)
      .set({ status: 'stopped', stoppedAt: sql`now()`, replacedBy: replacement.id, error: stopError })
      .where(eq(webhookChannels.id, channel.id)),
  );
  return replacement;
}

/**
 * The provider ended or questions one of a connection's channels (named by its own id for it, the
 * resourceId open() returned): replaces it now rather than at its expiry. A channel already
 * replaced needs nothing; when none is active any more, every target lacking one gets one.
 * Throws when the provider refuses, so processing retries it.
 */
export async function renewChannel(db: Db, connectionId: string, channelRef: string): Promise<string> {
  const [row] = await asService(db, (tx) =>
    tx
      .select({ channel: webhookChannels, connection: connections })
      .from(webhookChannels)
      .innerJoin(connections, eq(connections.id, webhookChannels.connectionId))
      .where(and(eq(webhookChannels.connectionId, connectionId), eq(webhookChannels.resourceId, channelRef))),
  );
  const channels = row ? channelsOf(row.connection.provider) : null;
  if (!row || !channels) return 'No such push channel; nothing to renew.';
  if (row.channel.status !== 'active') {
    const report = await openMissingChannels(db, connectionId);
    if (report.failed > 0) throw new Error(`the push channel could not be reopened: ${report.skipped ?? 'the provider refused'}`);
    return report.opened > 0 ? 'Reopened the push channel.' : 'The push channel was already replaced.';
  }
  const replacement = await withProviderClient(db, connectionId, (client) => replaceChannel(db, channels, client, row.connection, row.channel));
  if (!replacement) throw new Error('the provider refused the replacement push channel');
  return 'Replaced the push channel.';
}

/** The channel a notification names, with its token, or null when we never opened it. */
export async function channelWithToken(db: Db, channelId: string): Promise<{ channel: WebhookChannel; token: string } | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(channelId)) return null;
  const [channel] = await asService(db, (tx) => tx.select().from(webhookChannels).where(eq(webhookChannels.id, channelId)));
  if (!channel) return null;
  return { channel, token: decryptSecret(channel.tokenEnvelope, channelAad(channel.id)) };
}

/** Re-encrypts channel tokens under the newest key (key rotation). */
export async function reencryptChannelTokens(db: Db, currentKeyId: string): Promise<number> {
  const stale = await asService(db, (tx) =>
    tx.select().from(webhookChannels).where(sql`${webhookChannels.keyId} <> ${currentKeyId}`),
  );
  for (const channel of stale) {
    const envelope = encryptSecret(decryptSecret(channel.tokenEnvelope, channelAad(channel.id)), channelAad(channel.id));
    await asService(db, (tx) =>
      tx.update(webhookChannels).set({ tokenEnvelope: envelope, keyId: envelopeKeyId(envelope) }).where(eq(webhookChannels.id, channel.id)),
    );
  }
  return stale.length;
}

async function loadConnection(db: Db, connectionId: string): Promise<Connection | undefined> {
  const [connection] = await asService(db, (tx) => tx.select().from(connections).where(eq(connections.id, connectionId)));
  return connection;
}

/**
 * Stops the connection's active channels whose target it no longer wants (a repository the admin
 * stopped choosing), so a narrowed choice does not leave the provider posting. Never throws.
 */
export async function stopUnwantedChannels(db: Db, connectionId: string): Promise<number> {
  const active = await asService(db, (tx) =>
    tx
      .select()
      .from(webhookChannels)
      .where(and(eq(webhookChannels.connectionId, connectionId), eq(webhookChannels.status, 'active'))),
  );
  const channels = active.length > 0 ? channelsOf(active[0].provider) : null;
  if (!channels) return 0;
  try {
    return await withProviderClient(db, connectionId, async (client) => {
      const wanted = new Set(await channels.targets(client));
      const unwanted = active.filter((channel) => !wanted.has(channel.target));
      for (const channel of unwanted) {
        let failure: string | null = null;
        if (channel.resourceId) {
          await channels.stop(client, { id: channel.id, resourceId: channel.resourceId }).catch((error: unknown) => {
            failure = `Not stopped at the provider: ${describeFailure(error)}`;
          });
        }
        await asService(db, (tx) => tx.update(webhookChannels).set({ status: 'stopped', stoppedAt: sql`now()`, error: failure }).where(eq(webhookChannels.id, channel.id)));
      }
      return unwanted.length;
    });
  } catch (error) {
    console.warn(`push channels for connection ${connectionId} not narrowed: ${describeFailure(error)}`);
    return 0;
  }
}
