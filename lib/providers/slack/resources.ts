// Slack users and the messages of the channels the bot is a member of.
//
// Users: users.list (cursor paged, https://api.slack.com/methods/users.list) has no changed-since
// filter, so an incremental listing re-lists every user and keeps those whose `updated` (Unix
// seconds) is at or after the newest the last listing saw; the sync's content hash drops the rest.
// A deactivated user stays listed with deleted: true (a status change, not a tombstone).
//
// Messages: "chosen" channels are the ones the bot is a member of (the admin invites the bot), as
// users.conversations lists them (https://api.slack.com/methods/users.conversations). Each one's
// conversations.history (https://api.slack.com/methods/conversations.history) is read from the
// stored `oldest` ts of that channel. History answers only messages posted after `oldest`; an edit
// keeps its ts and a deletion removes the message, so an incremental listing starts EDIT_WINDOW
// earlier than the newest stored ts to pick up recent edits, and the Events API (message_changed,
// message_deleted; webhooks.ts) carries the rest as it happens. Deleted messages are no longer
// listed: a full listing finds them missing.
// conversations.history is Tier 3 (50+/min) for internal and Marketplace apps; commercially
// distributed non-Marketplace apps created since 2025-05-29 get 1 request/min and limit ≤ 15
// (https://docs.slack.dev/apis/web-api/rate-limits,
// https://docs.slack.dev/changelog/2025/05/29/rate-limit-changes-for-non-marketplace-apps). 429s
// carry Retry-After, which the sync honours.
import { z } from 'zod';
import type { FetchedRecord, PageRequest, PageResult, ProviderClient, SyncResource } from '../types';
import { messageId, nextCursor, slack, slackChannel, slackMessage, slackUser, storedMessage } from './api';

const PAGE_SIZE = 200;
/** An incremental listing re-reads each channel's last week, for edits made since. */
export const EDIT_WINDOW_SECONDS = 7 * 24 * 60 * 60;

const usersPage = z.object({ members: z.array(slackUser) }).passthrough();
const usersCursor = z.object({ newest: z.number() });
const usersState = z.object({ cursor: z.string(), newest: z.number() });

export const users: SyncResource = {
  id: 'users',
  label: 'Users',
  requiredScopes: ['users:read', 'users:read.email'],
  async fetchPage(client, request): Promise<PageResult> {
    const since = request.listing === 'incremental' ? usersCursor.parse(request.cursor).newest : null;
    const state = request.page ? usersState.parse(request.page) : { cursor: '', newest: since ?? 0 };
    const body = await slack(client, 'users.list', { limit: PAGE_SIZE, cursor: state.cursor || undefined });
    const page = usersPage.parse(body);
    const newest = page.members.reduce((max, user) => Math.max(max, user.updated ?? 0), state.newest);
    const records: FetchedRecord[] = page.members
      .filter((user) => since === null || (user.updated ?? 0) >= since)
      .map((user) => ({ externalId: user.id, data: user }));
    const next = nextCursor.parse(body);
    if (next) return { records, next: { cursor: next, newest } };
    return { records, next: null, cursor: { newest } };
  },
};

const channelRef = z.object({ id: z.string(), name: z.string().optional() });
type ChannelRef = z.infer<typeof channelRef>;
const messagesCursor = z.object({ oldest: z.record(z.string(), z.string()) });
const messagesState = z.object({
  channels: z.array(channelRef),
  index: z.number().int(),
  cursor: z.string().optional(),
  newest: z.record(z.string(), z.string()),
});
type MessagesState = z.infer<typeof messagesState>;

/** Every channel the bot is a member of (archived ones included: their history still reads). */
export async function memberChannels(client: ProviderClient): Promise<ChannelRef[]> {
  const channels: ChannelRef[] = [];
  let cursor: string | null = null;
  do {
    const body = await slack(client, 'users.conversations', { types: 'public_channel,private_channel', limit: PAGE_SIZE, cursor: cursor ?? undefined });
    const page = z.object({ channels: z.array(slackChannel) }).passthrough().parse(body);
    channels.push(...page.channels.map((c) => ({ id: c.id, ...(c.name ? { name: c.name } : {}) })));
    cursor = nextCursor.parse(body);
  } while (cursor);
  return channels;
}

/** Compares Slack ts strings ("1700000000.000100") numerically. */
const later = (a: string, b: string | undefined) => (b === undefined || Number(a) > Number(b) ? a : b);

/** Where an incremental listing of a channel starts: its newest stored ts, moved back by the edit window. */
export function oldestFor(stored: string | undefined, now: Date): string | undefined {
  if (stored === undefined) return undefined;
  const windowStart = Math.floor(now.getTime() / 1000) - EDIT_WINDOW_SECONDS;
  return Number(stored) < windowStart ? stored : `${windowStart}.000000`;
}

export const messages: SyncResource = {
  id: 'messages',
  label: 'Messages',
  requiredScopes: ['channels:read', 'channels:history'],
  async fetchPage(client, request: PageRequest): Promise<PageResult> {
    const stored = request.listing === 'incremental' ? messagesCursor.parse(request.cursor).oldest : null;
    let state: MessagesState = request.page
      ? messagesState.parse(request.page)
      : { channels: await memberChannels(client), index: 0, newest: { ...(stored ?? {}) } };
    if (state.index >= state.channels.length) return { records: [], next: null, cursor: { oldest: state.newest } };
    const channel = state.channels[state.index];
    const oldest = stored ? oldestFor(stored[channel.id], request.now) : undefined;
    const body = await slack(client, 'conversations.history', { channel: channel.id, limit: PAGE_SIZE, cursor: state.cursor, oldest });
    const page = z.object({ messages: z.array(slackMessage) }).passthrough().parse(body);
    let newest = state.newest[channel.id];
    const records: FetchedRecord[] = page.messages.map((message) => {
      newest = later(message.ts, newest);
      return { externalId: messageId(channel.id, message.ts), data: storedMessage(message, channel) };
    });
    state = { ...state, newest: newest === undefined ? state.newest : { ...state.newest, [channel.id]: newest } };
    const next = nextCursor.parse(body);
    if (next) return { records, next: { ...state, cursor: next } };
    const following = { ...state, index: state.index + 1, cursor: undefined };
    if (following.index < following.channels.length) return { records, next: following };
    return { records, next: null, cursor: { oldest: following.newest } };
  },
};

export const slackResources = [users, messages];
