// Slack writes and lookups in the sandbox: chat.postMessage (JSON body; the bot must be a member
// of the channel; thread_ts must name a message of it; answers { ok, channel, ts, message }) and
// users.lookupByEmail (users_not_found when nobody has that address).
// https://api.slack.com/methods/chat.postMessage, https://api.slack.com/methods/users.lookupByEmail
import { z } from 'zod';
import { getDataset } from '../../data';
import { afterWrite, pageGate } from '../../data-faults';
import { json, readJson, type Route } from '../../http';
import { HOST, MEMBER_CHANNELS, PROFILE } from './accounts';
import { channelIndexOf, faults, messagesSpec, renderMessage, renderUser, tsOf, usersSpec } from './data';
import { authorize, slackError } from './oauth';

const postBody = z.object({ channel: z.string().min(1), text: z.string().max(40_000).optional(), thread_ts: z.string().optional() }).passthrough();

const postMessage: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/api/chat.postMessage',
  handle(ctx) {
    const auth = authorize(ctx, 'chat:write');
    if (!auth.ok) return auth.reply;
    const refused = pageGate(ctx.state, `${PROFILE.id}.postMessage`, 1, faults);
    if (refused) return refused;
    const raw = readJson(ctx);
    if (!raw.ok) return slackError('invalid_json');
    const parsed = postBody.safeParse(raw.value);
    if (!parsed.success) return slackError('invalid_arguments');
    const body = parsed.data;
    if (!body.text) return slackError('no_text');
    if (body.text.length > 40_000) return slackError('msg_too_long');
    const channel = channelIndexOf(auth.account.id, body.channel);
    if (channel === null) return slackError('channel_not_found');
    if (channel >= MEMBER_CHANNELS) return slackError('not_in_channel');
    const messages = getDataset(ctx.state, messagesSpec, auth.account.id);
    if (body.thread_ts) {
      let parent = false;
      for (let i = 0; i < messages.count && !parent; i++) parent = messages.fields(i).channel === channel && tsOf(messages, i) === body.thread_ts && !messages.isDeleted(i);
      if (!parent) return slackError('thread_not_found');
    }
    const index = messages.create(ctx.state.data.tick());
    const fields = messages.fields(index);
    Object.assign(fields, { channel, text: body.text, bot: true, ...(body.thread_ts ? { thread_ts: body.thread_ts, thread_reply: true } : {}) });
    const message = renderMessage(ctx, messages, index);
    return afterWrite(ctx.state, PROFILE.id, json(200, { ok: true, channel: body.channel, ts: message.ts, message: { ...message, bot_id: auth.account.botId } }));
  },
};

const lookupByEmail: Route = {
  method: 'GET',
  hosts: [HOST],
  path: '/api/users.lookupByEmail',
  handle(ctx) {
    const auth = authorize(ctx, 'users:read.email');
    if (!auth.ok) return auth.reply;
    const refused = pageGate(ctx.state, `${PROFILE.id}.lookupByEmail`, 1, faults);
    if (refused) return refused;
    const wanted = ctx.query.get('email')?.trim().toLowerCase();
    if (!wanted) return slackError('invalid_arguments');
    const users = getDataset(ctx.state, usersSpec, auth.account.id);
    for (let i = 0; i < users.count; i++) {
      if (!users.isDeleted(i) && String(users.fields(i).email).toLowerCase() === wanted) return json(200, { ok: true, user: renderUser(users, i) });
    }
    return slackError('users_not_found');
  },
};

export const slackWriteRoutes: Route[] = [postMessage, lookupByEmail];
