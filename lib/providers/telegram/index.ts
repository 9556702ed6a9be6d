// Telegram, as a bot: the bot token from @BotFather is the credential (the API-key path), checked
// with getMe when it is saved (https://core.telegram.org/bots/api#getme). Telegram keeps no history
// a bot can list, so nothing is fetched by a sync: chats and messages arrive as webhook updates
// (webhooks.ts) and as what the bot sends (actions.ts).
import { z } from 'zod';
import { ProviderProtocolError } from '../errors';
import type { ProviderDefinition } from '../types';
import { telegramActions } from './actions';
import { API_HOST, describeTelegramError, telegram, telegramUser } from './api';
import { defaultMappings } from './mappings';
import { telegramWebhooks } from './webhooks';

/** <bot id>:<secret>, as @BotFather issues it. */
const BOT_TOKEN = /^\d{5,20}:[A-Za-z0-9_-]{30,100}$/;

export const telegramProvider: ProviderDefinition = {
  id: 'telegram',
  name: 'Telegram',
  category: 'Messaging',
  description: 'A Telegram bot: every message it receives in its chats and channels is stored as it arrives (Telegram keeps no history a bot can read back), and it sends messages.',
  color: '#229ed9',
  initials: 'TG',
  capabilities: ['Bot token, checked with getMe', 'Webhook with a secret token per connection', 'Send messages (HTML, escaped)'],
  // Neither resource is fetched by a sync: their records come from updates and sent messages.
  resources: [
    { id: 'messages', label: 'Messages' },
    { id: 'chats', label: 'Chats' },
  ],
  defaultMappings,
  webhooks: telegramWebhooks,
  actions: telegramActions,
  describeError: describeTelegramError,
  docsUrl: 'https://core.telegram.org/bots/api',
  auth: {
    kind: 'api_key',
    fields: [
      {
        name: 'botToken',
        label: 'Bot token',
        secret: true,
        schema: z.string().trim().regex(BOT_TOKEN, { error: 'A bot token looks like 123456789:AAH… (from @BotFather)' }),
        help: 'From @BotFather: /newbot, or /token for an existing bot.',
      },
    ],
    toTokenSet: (values) => ({ accessToken: values.botToken.trim() }),
  },
  allowedHosts: (host) => host === API_HOST,
  async identify(client) {
    const me = telegramUser.parse(await telegram(client, 'getMe'));
    if (me.is_bot === false) throw new ProviderProtocolError('The token belongs to a user, not a bot.');
    return {
      accountId: String(me.id),
      accountLabel: me.username ? `@${me.username}` : (me.first_name ?? `Bot ${me.id}`),
      details: { botId: String(me.id), ...(me.username ? { username: me.username } : {}) },
    };
  },
};
