// Google Calendar push channels as the app manages them: one per calendar of a connection, opened
// on connect, replaced before they expire, stopped on disconnect. Each channel's token is random,
// stored only encrypted (bound to the channel id), and is what proves a notification is Google's.
import crypto from 'node:crypto';
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { describeFailure } from '../connections/failures';
import { environmentOf, withProviderClient } from '../connections/provider-access';
import { decryptSecret, encryptSecret, envelopeKeyId } from '../crypto/envelope';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connections, webhookChannels, type Connection } from '../db/schema';
import type { ProviderClient } from '../providers/client';
import type { Environment } from '../providers/environment';
import { stopChannel, watchCalendarEvents } from '../providers/google-calendar/channels';
import { listCalendars } from '../providers/google-calendar/resources';
import { publicBaseUrl } from './request';

export const GOOGLE_PROVIDER = 'google-calendar';
/** Replace a channel this long before it expires (the renewal job runs at least hourly). */
export const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

export type WebhookChannel = typeof webhookChannels.$inferSelect;

const channelAad = (channelId: string) => `webhook-channel:${channelId}`;

/**
 * Where Google should post: the public URL when configured. Google only posts to public HTTPS
 * addresses; the sandbox posts anywhere, so sandbox connections fall back to this server's
 * local address (what `npm run dev` serves).
 */
export function channelAddress(environment: Environment): string | null {
  const base = publicBaseUrl() ?? (environment === 'sandbox' ? `http://localhost:${process.env.PORT ?? 3000}` : null);
  return base ? `${base}/api/webhooks/${GOOGLE_PROVIDER}` : null;
}

export interface ChannelReport {
  opened: number;
  failed: number;
  skipped?: string;
}

/** Opens a channel on every calendar of the connection that has no active one. Never throws. */
export async function openMissingChannels(db: Db, connectionId: string): Promise<ChannelReport> {
  const connection = await loadConnection(db, connectionId);
  if (!connection || connection.provider !== GOOGLE_PROVIDER) return { opened: 0, failed: 0, skipped: 'not a Google Calendar connection' };
  const address = channelAddress(environmentOf(connection));
  if (!address) return { opened: 0, failed: 0, skipped: 'PUBLIC_APP_URL is not set, so Google has nowhere to post' };
  try {
    return await withProviderClient(db, connectionId, async (client) => {
      const calendars = await listCalendars(client);
      const active = await asService(db, (tx) =>
        tx
          .select({ target: webhookChannels.target })
          .from(webhookChannels)
          .where(and(eq(webhookChannels.connectionId, connectionId), eq(webhookChannels.status, 'active'))),
      );
      const watched = new Set(active.map((row) => row.target));
      const report: ChannelReport = { opened: 0, failed: 0 };
      for (const calendarId of calendars.filter((id) => !watched.has(id))) {
        const opened = await openChannel(db, client, connection, calendarId, address);
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
 * The row goes in first: Google confirms a new channel with a "sync" message that may arrive
 * before events.watch has even answered, and must find its channel.
 */
async function openChannel(db: Db, client: ProviderClient, connection: Connection, calendarId: string, address: string): Promise<WebhookChannel | null> {
  const id = crypto.randomUUID();
  const token = crypto.randomBytes(32).toString('base64url');
  const envelope = encryptSecret(token, channelAad(id));
  await asService(db, (tx) =>
    tx.insert(webhookChannels).values({
      id,
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      provider: GOOGLE_PROVIDER,
      resource: 'events',
      target: calendarId,
      address,
      keyId: envelopeKeyId(envelope),
      tokenEnvelope: envelope,
    }),
  );
  try {
    const opened = await watchCalendarEvents(client, calendarId, { id, token, address });
    const [row] = await asService(db, (tx) =>
      tx
        .update(webhookChannels)
        .set({ resourceId: opened.resourceId, expiresAt: opened.expiresAt })
        .where(eq(webhookChannels.id, id))
        .returning(),
    );
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
  let failure: string | null = null;
  try {
    await withProviderClient(db, connectionId, async (client) => {
      for (const channel of active) if (channel.resourceId) await stopChannel(client, { id: channel.id, resourceId: channel.resourceId });
    });
  } catch (error) {
    // It expires on its own within a week; deliveries meanwhile are recorded as for a stopped channel.
    failure = `Not stopped at Google: ${describeFailure(error)}`;
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
  const horizon = new Date((options.now ?? new Date()).getTime() + (options.withinMs ?? RENEW_BEFORE_MS));
  const due = await asService(db, (tx) =>
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
  let renewed = 0;
  let failed = 0;
  const byConnection = new Map<string, typeof due>();
  for (const row of due) byConnection.set(row.connection.id, [...(byConnection.get(row.connection.id) ?? []), row]);
  for (const rows of byConnection.values()) {
    const connection = rows[0].connection;
    try {
      await withProviderClient(db, connection.id, async (client) => {
        for (const { channel } of rows) {
          const address = channelAddress(environmentOf(connection)) ?? channel.address;
          const replacement = await openChannel(db, client, connection, channel.target, address);
          if (!replacement) {
            failed += 1;
            continue;
          }
          let stopError: string | null = null;
          if (channel.resourceId) {
            await stopChannel(client, { id: channel.id, resourceId: channel.resourceId }).catch((error: unknown) => {
              stopError = `Not stopped at Google: ${describeFailure(error)}`;
            });
          }
          await asService(db, (tx) =>
            tx
              .update(webhookChannels)
              .set({ status: 'stopped', stoppedAt: sql`now()`, replacedBy: replacement.id, error: stopError })
              .where(eq(webhookChannels.id, channel.id)),
          );
          renewed += 1;
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
