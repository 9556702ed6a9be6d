// Gmail API v1 endpoints the app uses, with Gmail's shapes:
//   GET  users/me/profile                 { emailAddress, messagesTotal, threadsTotal, historyId }
//   GET  users/me/labels                  { labels: [...] } (no paging)
//   GET  users/me/messages                ids only: { messages: [{ id, threadId }], nextPageToken, resultSizeEstimate }
//   GET  users/me/messages/{id}?format=   minimal | metadata (metadataHeaders=…) | full | raw
//   GET  users/me/threads/{id}?format=    { id, historyId, messages: [...] }
//   GET  users/me/history?startHistoryId= { history: [{ id, messages, messagesAdded | messagesDeleted | labelsAdded | labelsRemoved }], nextPageToken, historyId }
//        404 when the start is too old (the expireSyncTokens knob) or not a history id of this mailbox.
//   POST users/me/messages/send, users/me/drafts, users/me/watch, users/me/stop
// (https://developers.google.com/workspace/gmail/api/reference/rest)
import { getDataset, type Dataset } from '../../data';
import { intParam, pageGate, type FaultReplies } from '../../data-faults';
import { bindingOf, pageFrom, startListing, type ViewQuery } from '../../data-view';
import { json, readJson, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, identityHandler } from '../../oauth';
import { API_HOST, API_PREFIX, COMPOSE_SCOPE, findAccount, PROFILE, SEND_SCOPE } from './accounts';
import { gmailMessagesSpec, headersOf, insertWritten, parseHeaders, renderMessage, SYSTEM_LABELS, threadIdOf, USER_LABELS, writtenOf, type Format } from './mailbox';
import { apiError, authorize, unauthenticated } from './oauth';

const PROVIDER = PROFILE.id;
const HISTORY_TYPES = new Set(['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved']);

const faults: FaultReplies = {
  failed: (status) => apiError(status, 'Backend Error', 'backendError'),
  rateLimited: () =>
    json(429, {
      error: {
        code: 429,
        message: 'User-rate limit exceeded.',
        errors: [{ domain: 'usageLimits', reason: 'userRateLimitExceeded', message: 'User-rate limit exceeded.' }],
        status: 'RESOURCE_EXHAUSTED',
      },
    }),
};

const notFound = () => apiError(404, 'Requested entity was not found.', 'notFound');
const invalid = (message: string) => apiError(400, message, 'invalidArgument');

export const mailboxOf = (ctx: RequestContext, account: string): Dataset => getDataset(ctx.state, gmailMessagesSpec, account);

function route(method: Route['method'], path: string, handle: (ctx: RequestContext) => Reply | Promise<Reply>, pattern?: RegExp): Route {
  return { method, hosts: [API_HOST], path: `${API_PREFIX}${path}`, ...(pattern ? { pattern } : {}), handle };
}

function profileOf(dataset: Dataset, emailAddress: string, historyId: number) {
  let live = 0;
  for (let i = 0; i < dataset.count; i++) if (!dataset.isDeleted(i)) live += 1;
  return { emailAddress, messagesTotal: live, threadsTotal: Math.ceil(live / 3), historyId: String(historyId) };
}

const profileRoute = route(
  'GET',
  '/profile',
  identityHandler(
    PROVIDER,
    (status) => (status === 401 ? unauthenticated() : apiError(status, `Forced by the sandbox (HTTP ${status}).`, 'backendError')),
    (ctx) => {
      const auth = authenticate(ctx, PROVIDER);
      if (!auth.ok) return unauthenticated();
      const account = findAccount(auth.grant.accountId);
      if (!account) return unauthenticated();
      return json(200, profileOf(mailboxOf(ctx, account.id), account.email, ctx.state.data.snapshot()));
    },
  ),
);

const labelsRoute = route('GET', '/labels', (ctx) => {
  const auth = authorize(ctx);
  if (!auth.ok) return auth.reply;
  return json(200, {
    labels: [
      ...SYSTEM_LABELS.map((id) => ({ id, name: id, type: 'system' })),
      ...USER_LABELS.map((label) => ({ ...label, type: 'user', messageListVisibility: 'show', labelListVisibility: 'labelShow' })),
    ],
  });
});

/** messages.list: ids only, in id order; `q` supports rfc822msgid: (how a client finds what it sent). */
const listRoute = route('GET', '/messages', (ctx) => {
  const auth = authorize(ctx);
  if (!auth.ok) return auth.reply;
  const limit = intParam(ctx.query.get('maxResults'), 1, 500);
  if (limit === null) return invalid('Invalid maxResults');
  const q = ctx.query.get('q')?.trim();
  const byMessageId = q ? /^rfc822msgid:<?([^<>\s]+)>?$/i.exec(q) : null;
  if (q && !byMessageId) return invalid('The sandbox supports q=rfc822msgid:<id> only.');
  const dataset = mailboxOf(ctx, auth.account);
  if (byMessageId) {
    const wanted = `<${byMessageId[1]}>`.toLowerCase();
    const hits: { id: string; threadId: string }[] = [];
    for (const index of writtenOf(dataset).keys()) {
      const id = headersOf(dataset, index).find(([name]) => name.toLowerCase() === 'message-id')?.[1];
      if (!dataset.isDeleted(index) && id?.toLowerCase() === wanted) hits.push({ id: dataset.idOf(index), threadId: threadIdOf(dataset, index) });
    }
    return json(200, { ...(hits.length ? { messages: hits } : {}), resultSizeEstimate: hits.length });
  }
  const binding = bindingOf('gmail-messages', auth.account);
  const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('pageToken'), {});
  if (!started.ok) return invalid('Invalid pageToken');
  const { cursor } = started;
  const refused = pageGate(ctx.state, 'gmail.messages', cursor.page, faults);
  if (refused) return refused;
  const query: ViewQuery = { order: 'id', snapshot: cursor.snapshot, include: 'live' };
  const page = pageFrom(dataset, query, cursor, limit ?? 100, binding);
  const messages = page.indices.map((index) => ({ id: dataset.idOf(index), threadId: threadIdOf(dataset, index) }));
  // Gmail leaves `messages` out of an empty page.
  return json(200, { ...(messages.length ? { messages } : {}), ...(page.nextToken ? { nextPageToken: page.nextToken } : {}), resultSizeEstimate: messages.length });
});

function formatOf(ctx: RequestContext): Format | null {
  const format = ctx.query.get('format') ?? 'full';
  return format === 'minimal' || format === 'metadata' || format === 'full' || format === 'raw' ? format : null;
}

const getRoute = route(
  'GET',
  '/messages/{id}',
  (ctx) => {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const format = formatOf(ctx);
    if (!format) return invalid('Invalid format');
    ctx.state.countDataRequest('gmail.messageGets');
    const dataset = mailboxOf(ctx, auth.account);
    const index = dataset.indexOf(ctx.params.id);
    if (index === undefined || dataset.isDeleted(index)) return notFound();
    return json(200, renderMessage(dataset, index, format, ctx.query.getAll('metadataHeaders')));
  },
  new RegExp(`^${API_PREFIX}/messages/(?<id>[0-9a-f]{1,32})$`),
);

const threadRoute = route(
  'GET',
  '/threads/{id}',
  (ctx) => {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const format = formatOf(ctx);
    if (!format || format === 'raw') return invalid('Invalid format');
    const dataset = mailboxOf(ctx, auth.account);
    const members: number[] = [];
    for (let i = 0; i < dataset.count; i++) if (!dataset.isDeleted(i) && threadIdOf(dataset, i) === ctx.params.id) members.push(i);
    if (members.length === 0) return notFound();
    const historyId = Math.max(...members.map((i) => dataset.updatedAt[i]));
    return json(200, { id: ctx.params.id, historyId: String(historyId), messages: members.map((i) => renderMessage(dataset, i, format, ctx.query.getAll('metadataHeaders'))) });
  },
  new RegExp(`^${API_PREFIX}/threads/(?<id>[0-9a-f]{1,32})$`),
);

/**
 * history.list: what changed after startHistoryId, one history record per changed message at its
 * last change (Gmail may collapse changes the same way), filtered by historyTypes.
 */
const historyRoute = route('GET', '/history', (ctx) => {
  const auth = authorize(ctx);
  if (!auth.ok) return auth.reply;
  const start = ctx.query.get('startHistoryId');
  if (!start) return invalid('Missing required parameter: startHistoryId');
  if (!/^\d{1,20}$/.test(start)) return invalid('Invalid startHistoryId');
  const types = ctx.query.getAll('historyTypes');
  if (types.some((type) => !HISTORY_TYPES.has(type))) return invalid('Invalid historyTypes');
  const limit = intParam(ctx.query.get('maxResults'), 1, 500);
  if (limit === null) return invalid('Invalid maxResults');
  const since = Number(start);
  // A history id from the future, or any while the knob is on, is one Gmail no longer has.
  if (ctx.state.knobs.expireSyncTokens || since > ctx.state.data.snapshot()) return notFound();
  const binding = bindingOf('gmail-history', auth.account, start, types.join(','));
  const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('pageToken'), {});
  if (!started.ok) return invalid('Invalid pageToken');
  const { cursor } = started;
  const refused = pageGate(ctx.state, 'gmail.messages', cursor.page, faults);
  if (refused) return refused;
  const dataset = mailboxOf(ctx, auth.account);
  const query: ViewQuery = { order: 'modified', snapshot: cursor.snapshot, include: 'all', min: { value: since, inclusive: false } };
  const page = pageFrom(dataset, query, cursor, limit ?? 100, binding);
  const wants = (type: string) => types.length === 0 || types.includes(type);
  const history = page.indices.flatMap((index): Record<string, unknown>[] => {
    const ref = { id: dataset.idOf(index), threadId: threadIdOf(dataset, index), labelIds: dataset.fields(index).labelIds as string[] };
    const entry = { id: String(dataset.updatedAt[index]), messages: [{ id: ref.id, threadId: ref.threadId }] };
    if (dataset.isDeleted(index)) return wants('messageDeleted') ? [{ ...entry, messagesDeleted: [{ message: ref }] }] : [];
    if (dataset.createdAt[index] > since) return wants('messageAdded') ? [{ ...entry, messagesAdded: [{ message: ref }] }] : [];
    return wants('labelAdded') ? [{ ...entry, labelsAdded: [{ message: ref, labelIds: ref.labelIds }] }] : [];
  });
  return json(200, { ...(history.length ? { history } : {}), ...(page.nextToken ? { nextPageToken: page.nextToken } : {}), historyId: String(cursor.snapshot) });
});

/** A base64url `raw` message, or why not. */
function decodeRaw(value: unknown): { ok: true; raw: string } | { ok: false; reply: Reply } {
  if (typeof value !== 'string' || value.length === 0) return { ok: false, reply: invalid("'raw' RFC822 payload message string or uploading message via /upload/* URL required") };
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return { ok: false, reply: invalid('Invalid value for ByteString') };
  return { ok: true, raw: Buffer.from(value, 'base64url').toString('utf8') };
}

function threadFor(dataset: Dataset, threadId: unknown): string | undefined | null {
  if (threadId === undefined) return undefined;
  if (typeof threadId !== 'string') return null;
  for (let i = 0; i < dataset.count; i++) if (!dataset.isDeleted(i) && threadIdOf(dataset, i) === threadId) return threadId;
  return null;
}

const sendRoute = route('POST', '/messages/send', (ctx) => {
  const auth = authorize(ctx, [SEND_SCOPE, COMPOSE_SCOPE]);
  if (!auth.ok) return auth.reply;
  const body = readJson(ctx);
  if (!body.ok) return invalid(body.reason);
  const decoded = decodeRaw(body.value.raw);
  if (!decoded.ok) return decoded.reply;
  const dataset = mailboxOf(ctx, auth.account);
  const recipients = parseHeaders(decoded.raw).filter(([name]) => /^(to|cc|bcc)$/i.test(name));
  if (recipients.length === 0) return invalid('Invalid To header');
  const threadId = threadFor(dataset, body.value.threadId);
  if (threadId === null) return notFound();
  ctx.state.countDataRequest('gmail.writes');
  const index = insertWritten(dataset, ctx.state.data.tick(), decoded.raw, { threadId, labelIds: ['SENT'] });
  return json(200, renderMessage(dataset, index, 'minimal'));
});

const draftRoute = route('POST', '/drafts', (ctx) => {
  const auth = authorize(ctx, [COMPOSE_SCOPE]);
  if (!auth.ok) return auth.reply;
  const body = readJson(ctx);
  if (!body.ok) return invalid(body.reason);
  const message = body.value.message as Record<string, unknown> | undefined;
  const decoded = decodeRaw(message?.raw);
  if (!decoded.ok) return decoded.reply;
  const dataset = mailboxOf(ctx, auth.account);
  const threadId = threadFor(dataset, message?.threadId);
  if (threadId === null) return notFound();
  ctx.state.countDataRequest('gmail.writes');
  const draftId = `r${(dataset.count + 1).toString().padStart(19, '0')}`;
  const index = insertWritten(dataset, ctx.state.data.tick(), decoded.raw, { threadId, labelIds: ['DRAFT'], draftId });
  return json(200, { id: draftId, message: renderMessage(dataset, index, 'minimal') });
});

export const gmailDataRoutes: Route[] = [profileRoute, labelsRoute, listRoute, getRoute, threadRoute, historyRoute, sendRoute, draftRoute];
