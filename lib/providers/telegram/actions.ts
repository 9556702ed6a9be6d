// Telegram's one action: send a message to a chat (sendMessage, https://core.telegram.org/bots/api#sendmessage).
// `to` is one chat id (a number, negative for groups and channels, or @channelusername); the text is
// sent with parse_mode HTML after escaping &, < and >, so whatever the caller wrote arrives as
// text and never as markup; `threadId` is the message to reply to (reply_parameters.message_id,
// which replaced reply_to_message_id in Bot API 7.0). A 429 carries parameters.retry_after (about one
// message a second per chat): the call fails as provider_rate_limited with that Retry-After rather
// than waiting inside the request. The sent message and its chat are written through.
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { applyMapping, compileMapping } from '../../mapping/interpreter';
import { Message } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionResult, ProviderActions } from '../types';
import { escapeTelegramHtml, messageId, telegram, telegramMessage } from './api';
import { defaultMappings } from './mappings';

const compiled = compileMapping(defaultMappings.messages);
const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;
/** Telegram's limit on a message's text after entity parsing (https://core.telegram.org/bots/api#sendmessage). */
export const MAX_TEXT = 4096;

async function send(context: ActionContext, input: ActionInput<'messages.send'>): Promise<ActionResult<ActionOutput<'messages.send'>>> {
  if (input.to.length !== 1 || !CHAT_ID.test(input.to[0].trim())) {
    throw new ActionError('validation_failed', 'to: Telegram sends to one chat; give exactly one chat id (a number) or @channelusername.', [{ pointer: '/to', detail: 'one chat id' }]);
  }
  if (input.text.length > MAX_TEXT) {
    throw new ActionError('validation_failed', `text: Telegram takes at most ${MAX_TEXT} characters.`, [{ pointer: '/text', detail: `at most ${MAX_TEXT} characters` }]);
  }
  if (input.threadId !== undefined && !/^\d{1,12}$/.test(input.threadId)) {
    throw new ActionError('validation_failed', 'threadId: the id of the message to reply to (a number).', [{ pointer: '/threadId', detail: 'a message id' }]);
  }
  const target = input.to[0].trim();
  let sent: unknown;
  try {
    sent = await telegram(context.client, 'sendMessage', {
      chat_id: /^-?\d+$/.test(target) ? Number(target) : target,
      text: escapeTelegramHtml(input.text),
      parse_mode: 'HTML',
      ...(input.threadId ? { reply_parameters: { message_id: Number(input.threadId) } } : {}),
    });
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 400 && /chat not found/i.test(error.providerMessage)) {
      throw new ActionError('not_found', 'Telegram knows no such chat for this bot (the bot must be a member, or the person must have messaged it first).');
    }
    if (error instanceof ProviderHttpError && error.status === 400 && /message to be replied not found/i.test(error.providerMessage)) {
      throw new ActionError('not_found', 'Telegram has no message with that threadId in the chat.');
    }
    if (error instanceof ProviderHttpError && error.status === 403) throw new ActionError('conflict', `Telegram refused: ${error.providerMessage}`);
    throw error;
  }
  const message = telegramMessage.parse(sent);
  const { output, errors } = applyMapping(compiled, message);
  if (errors.length > 0) throw new ActionError('provider_error', `Telegram's message did not map: ${errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  return {
    output: { message: Message.parse(output), resource: 'messages', raw: message },
    records: [
      { resource: 'chats', externalId: String(message.chat.id), data: message.chat },
      { resource: 'messages', externalId: messageId(message), data: message },
    ],
  };
}

export const telegramActions: ProviderActions = { 'messages.send': send };
