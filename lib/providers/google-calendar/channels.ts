// Google Calendar push channels (developers.google.com/calendar/api/guides/push): events.watch
// opens a channel on one calendar's events, Google posts to `address` with our channel id and
// token until the channel expires, and channels.stop ends one early. Channels cannot be renewed
// in place: a new one is opened before the old one expires, then the old one is stopped.
import { z } from 'zod';
import type { ProviderClient } from '../client';
import { ProviderHttpError } from '../errors';

const API = 'https://www.googleapis.com/calendar/v3';

/** Google's default and our request: a week. Google may grant less; its answer says when. */
export const CHANNEL_TTL_SECONDS = 7 * 24 * 60 * 60;

const channelAnswer = z.object({
  id: z.string().min(1),
  resourceId: z.string().min(1),
  resourceUri: z.string().optional(),
  // Milliseconds since the epoch, as a string.
  expiration: z.union([z.string().regex(/^\d+$/), z.number().int()]).optional(),
});

export interface WatchRequest {
  /** Our channel id (a UUID): echoed in X-Goog-Channel-ID. */
  id: string;
  /** The shared secret echoed in X-Goog-Channel-Token (at most 256 characters). */
  token: string;
  /** HTTPS URL Google will post notifications to. */
  address: string;
  ttlSeconds?: number;
}

export interface OpenedChannel {
  id: string;
  resourceId: string;
  resourceUri: string | null;
  expiresAt: Date | null;
}

export async function watchCalendarEvents(client: ProviderClient, calendarId: string, request: WatchRequest): Promise<OpenedChannel> {
  const { body } = await client.request(`${API}/calendars/${encodeURIComponent(calendarId)}/events/watch`, {
    method: 'POST',
    json: {
      id: request.id,
      type: 'web_hook',
      address: request.address,
      token: request.token,
      params: { ttl: String(request.ttlSeconds ?? CHANNEL_TTL_SECONDS) },
    },
  });
  const channel = channelAnswer.parse(body);
  return {
    id: channel.id,
    resourceId: channel.resourceId,
    resourceUri: channel.resourceUri ?? null,
    expiresAt: channel.expiration === undefined ? null : new Date(Number(channel.expiration)),
  };
}

/** Stops a channel; one Google no longer knows (404) is as stopped as it gets. */
export async function stopChannel(client: ProviderClient, channel: { id: string; resourceId: string }): Promise<void> {
  try {
    await client.request(`${API}/channels/stop`, { method: 'POST', json: { id: channel.id, resourceId: channel.resourceId } });
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) return;
    throw error;
  }
}
