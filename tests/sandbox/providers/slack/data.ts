// Slack's Web API lists in the sandbox: users.list (every user, deactivated ones with deleted: true;
// `updated` in Unix seconds), users.conversations (the channels the bot is a member of) and
// conversations.history (a channel's messages after `oldest`, cursor paged). Every list pages with
// `cursor` / response_metadata.next_cursor ("" on the last page), and every answer is HTTP 200
// { ok: true | false }; rate limits are HTTP 429 with Retry-After (https://api.slack.com/apis/rate-limits).
// Messages are listed oldest first here (Slack lists newest first; the order is not part of the
// contract the app relies on). A deleted message is no longer listed.
import { getDataset, type Dataset, type ResourceSpec } from '../../data';
import { between, email, personName, pick, tag } from '../../data-fake';
import { intParam, pageGate, type FaultReplies } from '../../data-faults';
import { bindingOf, pageFrom, startListing, type ViewQuery } from '../../data-view';
import { json, type RequestContext, type Route } from '../../http';
import { API, channelId, CHANNELS, findAccount, HOST, MEMBER_CHANNELS, PROFILE } from './accounts';
import { authorize, slackError } from './oauth';

const TITLES = ['Engineer', 'Support lead', 'Account executive', 'Designer', 'Founder', ''];
const TEXTS = ['Morning all', 'Can someone look at the invoice?', 'Shipped the fix', 'Lunch at 12?', 'The customer called back', 'See the doc in the thread'];

const idFor = (prefix: string) => (index: number, account: string) => `${prefix}${tag(account).slice(0, 4).toUpperCase()}${index.toString(16).padStart(8, '0').toUpperCase()}`;

export const usersSpec: ResourceSpec = {
  key: 'slack.users',
  provider: 'slack',
  resource: 'users',
  idOf: idFor('U'),
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    return { first, last, email: email(first, last, index, rng), title: pick(rng, TITLES), tz: pick(rng, ['Europe/London', 'America/New_York', 'Asia/Tokyo']) };
  },
  update(fields, rng) {
    fields.title = pick(rng, TITLES.filter((t) => t !== fields.title));
  },
};

export const messagesSpec: ResourceSpec = {
  key: 'slack.messages',
  provider: 'slack',
  resource: 'messages',
  idOf: idFor('M'),
  generate(rng, { sizeOf }) {
    return { channel: between(rng, 0, MEMBER_CHANNELS - 1), user: between(rng, 0, Math.max(sizeOf('users') - 1, 0)), text: pick(rng, TEXTS) };
  },
  update(fields, rng) {
    fields.text = `${pick(rng, TEXTS)} (edited)`;
  },
};

export const faults: FaultReplies = {
  failed: (status) => slackError(status >= 500 ? 'internal_error' : 'invalid_arguments', {}, status >= 500 ? status : 200),
  rateLimited: () => slackError('ratelimited', {}, 429),
};

export const slackSeconds = (ms: number) => Math.floor(ms / 1000);

export function renderUser(users: Dataset, index: number) {
  const fields = users.fields(index);
  const name = `${fields.first} ${fields.last}`;
  return {
    id: users.idOf(index),
    team_id: users.account,
    name: String(fields.first).toLowerCase(),
    deleted: users.isDeleted(index),
    real_name: name,
    tz: fields.tz,
    is_admin: false,
    is_bot: false,
    is_app_user: false,
    updated: slackSeconds(users.updatedAt[index]),
    profile: { title: fields.title, real_name: name, display_name: String(fields.first), email: fields.email, first_name: fields.first, last_name: fields.last, team: users.account },
  };
}

/**
 * A message's ts: Unix seconds with six digits after the point, unique per channel. The generated
 * history (90 days in the data model) is squeezed into the last three days, as a busy workspace's
 * recent messages; messages posted later take their own time.
 */
export function tsOf(messages: Dataset, index: number): string {
  const anchor = messages.createdAt[Math.max(messages.initialCount - 1, 0)];
  const created = messages.createdAt[index];
  const ms = index < messages.initialCount ? anchor - (anchor - created) / 30 : created;
  return `${slackSeconds(ms)}.${String(index % 1_000_000).padStart(6, '0')}`;
}

export function renderMessage(ctx: RequestContext, messages: Dataset, index: number) {
  const fields = messages.fields(index);
  const users = getDataset(ctx.state, usersSpec, messages.account);
  const account = findAccount(messages.account);
  const user = typeof fields.bot === 'boolean' && fields.bot ? account?.botUserId : users.count > 0 ? users.idOf(fields.user as number) : 'USLACKBOT';
  const edited = messages.version[index] > 1 && !messages.isDeleted(index);
  return {
    type: 'message',
    user,
    text: fields.text,
    ts: tsOf(messages, index),
    team: messages.account,
    ...(fields.thread_ts ? { thread_ts: fields.thread_ts, parent_user_id: user } : {}),
    ...(edited ? { edited: { user, ts: `${slackSeconds(messages.updatedAt[index])}.000000` } } : {}),
  };
}

/** The channel index a channel id names in this workspace, or null. */
export function channelIndexOf(account: string, id: string): number | null {
  const index = CHANNELS.findIndex((_, i) => channelId(account, i) === id);
  return index < 0 ? null : index;
}

export function renderChannel(account: string, index: number) {
  return {
    id: channelId(account, index),
    name: CHANNELS[index],
    is_channel: true,
    is_private: CHANNELS[index].endsWith('-private'),
    is_archived: false,
    is_member: index < MEMBER_CHANNELS,
    created: 1_700_000_000 + index * 86_400,
    updated: 1_700_000_000_000 + index * 86_400_000,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: `The #${CHANNELS[index]} channel`, creator: '', last_set: 0 },
  };
}

const listReply = (key: string, items: unknown[], nextToken: string | undefined) =>
  json(200, { ok: true, [key]: items, ...(key === 'messages' ? { has_more: Boolean(nextToken), pin_count: 0 } : {}), response_metadata: { next_cursor: nextToken ?? '' } });

function limitOf(ctx: RequestContext, max: number) {
  const limit = intParam(ctx.query.get('limit'), 1, max);
  return limit === null ? null : (limit ?? 100);
}

const usersList: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/api/users.list',
  handle(ctx) {
    const auth = authorize(ctx, 'users:read');
    if (!auth.ok) return auth.reply;
    const limit = limitOf(ctx, 1000);
    if (limit === null) return slackError('invalid_limit');
    const binding = bindingOf('slack-users', auth.account.id);
    const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('cursor'), {});
    if (!started.ok) return slackError('invalid_cursor');
    const refused = pageGate(ctx.state, usersSpec.key, started.cursor.page, faults);
    if (refused) return refused;
    const users = getDataset(ctx.state, usersSpec, auth.account.id);
    const query: ViewQuery = { order: 'id', snapshot: started.cursor.snapshot, include: 'all' };
    const page = pageFrom(users, query, started.cursor, limit, binding);
    return listReply('members', page.indices.map((i) => renderUser(users, i)), page.nextToken);
  },
};

const usersConversations: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/api/users.conversations',
  handle(ctx) {
    const auth = authorize(ctx, 'channels:read');
    if (!auth.ok) return auth.reply;
    ctx.state.countDataRequest(`${PROFILE.id}.conversations`);
    // Few channels: one page.
    const channels = CHANNELS.map((_, i) => renderChannel(auth.account.id, i)).filter((c) => c.is_member);
    return listReply('channels', channels, undefined);
  },
};

const history: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/api/conversations.history',
  handle(ctx) {
    const auth = authorize(ctx, 'channels:history');
    if (!auth.ok) return auth.reply;
    const id = ctx.query.get('channel');
    if (!id) return slackError('invalid_arguments');
    const channel = channelIndexOf(auth.account.id, id);
    if (channel === null) return slackError('channel_not_found');
    if (channel >= MEMBER_CHANNELS) return slackError('not_in_channel');
    const limit = limitOf(ctx, 999);
    if (limit === null) return slackError('invalid_limit');
    const oldestParam = ctx.query.get('oldest');
    const oldest = oldestParam === null ? null : Number(oldestParam);
    if (oldest !== null && !Number.isFinite(oldest)) return slackError('invalid_ts_oldest');
    const binding = bindingOf('slack-history', auth.account.id, id);
    const started = startListing(() => ctx.state.data.snapshot(), binding, ctx.query.get('cursor'), { oldest });
    if (!started.ok) return slackError('invalid_cursor');
    const refused = pageGate(ctx.state, messagesSpec.key, started.cursor.page, faults);
    if (refused) return refused;
    const messages = getDataset(ctx.state, messagesSpec, auth.account.id);
    const since = started.cursor.params.oldest as number | null;
    const query: ViewQuery = {
      order: 'id',
      snapshot: started.cursor.snapshot,
      include: 'live',
      where: (index) => messages.fields(index).channel === channel && !messages.fields(index).thread_reply && (since === null || Number(tsOf(messages, index)) > since),
    };
    const page = pageFrom(messages, query, started.cursor, limit, binding);
    return listReply('messages', page.indices.map((i) => renderMessage(ctx, messages, i)), page.nextToken);
  },
};

export const slackDataRoutes: Route[] = [usersList, usersConversations, history];
export { API };
