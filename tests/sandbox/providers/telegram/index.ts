// Telegram in the sandbox: two bots (API-key connections with their bot tokens), the Bot API
// methods the app calls (getMe, setWebhook, getWebhookInfo, deleteWebhook, sendMessage) and
// webhook updates carrying the secret token the app set. Nothing syncs: Telegram has no history.
import { defineSandboxProvider } from '../../provider';
import { PROFILE, type TelegramBot } from './accounts';
import { telegramRoutes } from './api';
import { webhooks } from './webhooks';

export const telegram = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'api_key', credentials: (bot: TelegramBot) => ({ botToken: bot.token }) },
  routes: telegramRoutes,
  datasets: {},
  endpoints: ['sendMessage', 'webhook'],
  webhooks,
});
