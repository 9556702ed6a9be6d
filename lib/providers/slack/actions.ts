// Slack actions: post a message (chat.postMessage, https://api.slack.com/methods/chat.postMessage)
// and look a user up by email (users.lookupByEmail, https://api.slack.com/methods/users.lookupByEmail).
//  - messages.send: `to` is one channel id (the bot must be a member: not_in_channel otherwise);
//    `threadId` is the parent message's ts (thread_ts). The posted message is written through to
//    the connection's messages as the listing stores it (thread replies are not: history omits them). Slack takes no idempotency key, so the
//    hub's Idempotency-Key store is what keeps a retried call from posting twice.
//  - contacts.lookup: by email only (Slack has no phone search); users_not_found → no contacts.
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { applyMapping, compileMapping } from '../../mapping/interpreter';
import { Contact, Message } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionResult, ProviderActions } from '../types';
import { messageId, slack, slackMessage, slackUser, storedMessage } from './api';
import { defaultMappings } from './mappings';

const posted = z.object({ channel: z.string().min(1), ts: z.string().min(1), message: slackMessage });
const compiledMessages = compileMapping(defaultMappings.messages);
const compiledUsers = compileMapping(defaultMappings.users);

function refusal(error: unknown): ActionError | null {
  if (!(error instanceof ProviderHttpError)) return null;
  const code = error.providerMessage.split(' ')[0];
  if (code === 'channel_not_found') return new ActionError('not_found', 'Slack has no such channel, or the bot cannot see it (invite the bot to the channel).');
  if (code === 'not_in_channel') return new ActionError('conflict', 'The bot is not a member of that channel: invite it (/invite @your-app) and try again.');
  if (code === 'is_archived') return new ActionError('conflict', 'That channel is archived.');
  if (code === 'thread_not_found') return new ActionError('not_found', 'Slack has no message with that threadId (thread_ts) in the channel.');
  if (['msg_too_long', 'no_text', 'invalid_blocks', 'too_many_attachments'].includes(code)) return new ActionError('validation_failed', `Slack refused the message: ${code}.`);
  return null;
}

async function send(context: ActionContext, input: ActionInput<'messages.send'>): Promise<ActionResult<ActionOutput<'messages.send'>>> {
  if (input.to.length !== 1) {
    throw new ActionError('validation_failed', 'to: Slack posts to one channel; give exactly one channel id.', [{ pointer: '/to', detail: 'exactly one channel id (C…, G… or D…)' }]);
  }
  const [channel] = input.to;
  let body: Record<string, unknown>;
  try {
    // Plain text: Slack's mrkdwn is applied to `text`, and &, <, > are escaped as Slack requires
    // (https://api.slack.com/reference/surfaces/formatting#escaping), so a caller's "<!channel>" stays text.
    body = await slack(context.client, 'chat.postMessage', { channel, text: escapeSlackText(input.text), thread_ts: input.threadId }, true);
  } catch (error) {
    throw refusal(error) ?? error;
  }
  const answer = posted.parse(body);
  const data = storedMessage(answer.message, { id: answer.channel });
  const { output, errors } = applyMapping(compiledMessages, data);
  if (errors.length > 0) throw new ActionError('provider_error', `Slack's message did not map: ${errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  // A thread reply is not in the channel's history (conversations.history lists only top-level
  // messages), so writing it through would have the next full sync delete it: only posts are.
  const records = input.threadId ? [] : [{ resource: 'messages', externalId: messageId(answer.channel, answer.ts), data }];
  return { output: { message: Message.parse(output), resource: 'messages', raw: body }, records };
}

/** Slack's three control characters in message text (its docs: replace only these three). */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function lookup(context: ActionContext, input: ActionInput<'contacts.lookup'>): Promise<ActionResult<ActionOutput<'contacts.lookup'>>> {
  if (!input.email) throw new ActionError('validation_failed', 'email: Slack looks users up by email only.', [{ pointer: '/email', detail: 'required by Slack' }]);
  let body: Record<string, unknown>;
  try {
    body = await slack(context.client, 'users.lookupByEmail', { email: input.email });
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) return { output: { contacts: [] } };
    throw error;
  }
  const user = z.object({ user: slackUser }).parse(body).user;
  const { output, errors } = applyMapping(compiledUsers, user);
  if (errors.length > 0) throw new ActionError('provider_error', `Slack's user did not map: ${errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  return { output: { contacts: [{ contact: Contact.parse(output), resource: 'users', raw: user }] } };
}

export const slackActions: ProviderActions = {
  'messages.send': send,
  'contacts.lookup': lookup,
};
