// Telegram's two sandbox bots. The account id is the bot's user id (the part of its token before
// the colon), which the app's identify() (getMe) reports. Each bot knows a private chat with a
// person, a group and a channel.
import { defineProfile } from '../../provider';

export interface TelegramBot {
  id: string;
  username: string;
  firstName: string;
  token: string;
}

export const HOST = 'api.telegram.org';

export const PROFILE = defineProfile({
  id: 'telegram',
  name: 'Telegram',
  accounts: [
    { id: '7100000001', username: 'acme_hub_bot', firstName: 'Acme Hub', token: '7100000001:AAHsandbox-acme-hub-bot-token-0000001' },
    { id: '7100000002', username: 'globex_hub_bot', firstName: 'Globex Hub', token: '7100000002:AAHsandbox-globex-hub-bot-token-00002' },
  ] as readonly TelegramBot[],
  label: (bot: TelegramBot) => `@${bot.username}`,
});

export const botByToken = (token: string) => PROFILE.accounts.find((bot) => bot.token === token);

/** The chats a bot is in: a person who messaged it, a group, a channel (ids as Telegram forms them). */
export function chatsOf(bot: TelegramBot) {
  const n = Number(bot.id.slice(-2));
  return [
    { id: 5_100_000_000 + n, type: 'private', first_name: 'Ada', last_name: 'Lovelace', username: `ada_${n}` },
    { id: -(1_001_000_000_000 + n), type: 'supergroup', title: `${bot.firstName} team` },
    { id: -(1_002_000_000_000 + n), type: 'channel', title: `${bot.firstName} news`, username: `${bot.username.replace(/_bot$/, '')}_news` },
  ];
}
export type TelegramChat = ReturnType<typeof chatsOf>[number];
