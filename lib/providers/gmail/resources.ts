// Gmail messages (https://developers.google.com/workspace/gmail/api/guides/sync). A full listing
// reads the mailbox's historyId first (users.getProfile), then pages messages.list (ids only) and
// fetches each message with format=metadata (headers, snippet, labels; never the body, which is
// fetched on demand). An incremental listing replays users.history.list from the stored historyId:
// messages added or relabelled are fetched again, deleted ones become tombstones. Gmail answers 404
// when the historyId is too old (typically after about a week): the engine then drops the cursor
// and lists everything again (users.history.list reference: "Supplying an invalid or out of date
// startHistoryId typically returns an HTTP 404 error code … perform a full sync").
// Labels are read once per listing so each message carries its label names; threads are the
// messages' threadId (the Message model's thread). Neither is a record of its own: the model has no
// entity a label or a thread maps onto.
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { CursorExpiredError, ProviderHttpError } from '../errors';
import type { ProviderClient } from '../client';
import type { FetchedRecord, PageRequest, PageResult, SyncResource } from '../types';
import { GMAIL_API, GMAIL_READ_SCOPE, METADATA_HEADERS, profileSchema } from './api';

const PAGE_SIZE = 100;
/** Message gets in flight at once: Gmail counts 5 quota units each (250 units/s per user). */
const CONCURRENCY = 8;
const HISTORY_TYPES = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'] as const;

const header = z.object({ name: z.string(), value: z.string() });
export const metadataMessage = z
  .object({
    id: z.string().min(1),
    threadId: z.string().min(1),
    labelIds: z.array(z.string()).optional(),
    snippet: z.string().optional(),
    historyId: z.string().optional(),
    internalDate: z.string().optional(),
    payload: z.object({ headers: z.array(header).optional() }).passthrough().optional(),
  })
  .passthrough();
export type MetadataMessage = z.infer<typeof metadataMessage>;

const messageList = z.object({
  messages: z.array(z.object({ id: z.string(), threadId: z.string() })).optional(),
  nextPageToken: z.string().optional(),
});
const messageRef = z.object({ message: z.object({ id: z.string() }).passthrough() }).passthrough();
const historyList = z.object({
  history: z
    .array(
      z
        .object({
          id: z.string(),
          messagesAdded: z.array(messageRef).optional(),
          messagesDeleted: z.array(messageRef).optional(),
          labelsAdded: z.array(messageRef).optional(),
          labelsRemoved: z.array(messageRef).optional(),
        })
        .passthrough(),
    )
    .optional(),
  nextPageToken: z.string().optional(),
  historyId: z.string().regex(/^\d+$/),
});
const labelList = z.object({ labels: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()).optional() });

const cursorSchema = z.object({ historyId: z.string().regex(/^\d+$/) });
const pageState = z.object({
  historyId: z.string(),
  labels: z.record(z.string(), z.string()),
  pageToken: z.string().optional(),
});

/** Label id → name, system labels included. */
export async function labelNames(client: ProviderClient): Promise<Record<string, string>> {
  const { body } = await client.request(`${GMAIL_API}/labels`);
  return Object.fromEntries((labelList.parse(body).labels ?? []).map((label) => [label.id, label.name]));
}

/** One message's metadata, or null when Gmail no longer has it. */
export async function getMessageMetadata(client: ProviderClient, id: string): Promise<MetadataMessage | null> {
  const query = new URLSearchParams({ format: 'metadata' });
  for (const name of METADATA_HEADERS) query.append('metadataHeaders', name);
  try {
    const { body } = await client.request(`${GMAIL_API}/messages/${encodeURIComponent(id)}?${query}`);
    return metadataMessage.parse(body);
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) return null;
    throw error;
  }
}

const addresses = (value: string | undefined) =>
  value
    ? addressparser(value, { flatten: true })
        .map((a) => a.address)
        .filter(Boolean)
    : [];

/**
 * The record stored for a message: Gmail's metadata as returned, plus what mappings need and the
 * raw headers make awkward (header lookup by lower-case name, parsed address lists, label names).
 */
export function messageRecord(message: MetadataMessage, labels: Record<string, string>): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const { name, value } of message.payload?.headers ?? []) headers[name.toLowerCase()] ??= value;
  const [from] = headers.from ? addressparser(headers.from, { flatten: true }) : [];
  return {
    ...message,
    headers,
    from: from ? { name: from.name || null, address: from.address || null } : null,
    to: addresses(headers.to),
    cc: addresses(headers.cc),
    labelNames: (message.labelIds ?? []).map((id) => labels[id] ?? id),
  };
}

async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(work))));
  return results;
}

async function fullPage(client: ProviderClient, page: unknown): Promise<PageResult> {
  const state = page
    ? pageState.parse(page)
    : {
        // Taken before listing: changes made while the listing pages are replayed by the next incremental run.
        historyId: profileSchema.parse((await client.request(`${GMAIL_API}/profile`)).body).historyId,
        labels: await labelNames(client),
      };
  const query = new URLSearchParams({ maxResults: String(PAGE_SIZE) });
  if (state.pageToken) query.set('pageToken', state.pageToken);
  const list = messageList.parse((await client.request(`${GMAIL_API}/messages?${query}`)).body);
  const fetched = await inBatches(list.messages ?? [], (ref) => getMessageMetadata(client, ref.id));
  // A message deleted between the list and the get is simply not part of this listing.
  const records: FetchedRecord[] = fetched
    .filter((m): m is MetadataMessage => m !== null)
    .map((m) => ({ externalId: m.id, data: messageRecord(m, state.labels) }));
  if (list.nextPageToken) return { records, next: { ...state, pageToken: list.nextPageToken } };
  return { records, next: null, cursor: { historyId: state.historyId } };
}

async function incrementalPage(client: ProviderClient, cursor: unknown, page: unknown): Promise<PageResult> {
  const state = page ? pageState.parse(page) : { historyId: cursorSchema.parse(cursor).historyId, labels: await labelNames(client) };
  const query = new URLSearchParams({ startHistoryId: state.historyId, maxResults: '500' });
  for (const type of HISTORY_TYPES) query.append('historyTypes', type);
  if (state.pageToken) query.set('pageToken', state.pageToken);
  let body: unknown;
  try {
    ({ body } = await client.request(`${GMAIL_API}/history?${query}`));
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) throw new CursorExpiredError(`Gmail no longer has history ${state.historyId}: ${error.providerMessage}`);
    throw error;
  }
  const history = historyList.parse(body);
  // In history order: a message added and then deleted within the page ends deleted.
  const latest = new Map<string, 'changed' | 'deleted'>();
  for (const entry of history.history ?? []) {
    for (const ref of [...(entry.messagesAdded ?? []), ...(entry.labelsAdded ?? []), ...(entry.labelsRemoved ?? [])]) {
      if (latest.get(ref.message.id) !== 'deleted') latest.set(ref.message.id, 'changed');
    }
    for (const ref of entry.messagesDeleted ?? []) latest.set(ref.message.id, 'deleted');
  }
  const changed = [...latest].filter(([, kind]) => kind === 'changed').map(([id]) => id);
  const fetched = await inBatches(changed, (id) => getMessageMetadata(client, id));
  const records: FetchedRecord[] = [
    ...changed.map((id, index): FetchedRecord => {
      const message = fetched[index];
      // Gone since the history entry: as deleted as a messagesDeleted entry.
      return message ? { externalId: id, data: messageRecord(message, state.labels) } : { externalId: id, data: { id }, deleted: true };
    }),
    ...[...latest].filter(([, kind]) => kind === 'deleted').map(([id]): FetchedRecord => ({ externalId: id, data: { id }, deleted: true })),
  ];
  if (history.nextPageToken) return { records, next: { ...state, pageToken: history.nextPageToken } };
  return { records, next: null, cursor: { historyId: history.historyId } };
}

export const gmailMessages: SyncResource = {
  id: 'messages',
  label: 'Messages',
  requiredScopes: [GMAIL_READ_SCOPE],
  fetchPage(client, request: PageRequest): Promise<PageResult> {
    return request.listing === 'incremental' ? incrementalPage(client, request.cursor, request.page) : fullPage(client, request.page);
  },
};
