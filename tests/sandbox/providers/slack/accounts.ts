// Slack's two sandbox workspaces (teams), each with the bot installed; the account id is the team
// id, which the app's identify() (auth.test) reports and Events API deliveries carry as team_id.
import { defineProfile } from '../../provider';

export interface SlackAccount {
  id: string;
  name: string;
  domain: string;
  botUserId: string;
  botId: string;
  /** Whether the app has token rotation on in this workspace (12-hour tokens, rotating refresh). */
  rotation: boolean;
}

export const HOST = 'slack.com';
export const API = `https://${HOST}/api`;

export const PROFILE = defineProfile({
  id: 'slack',
  name: 'Slack',
  accounts: [
    { id: 'T0SBXACME01', name: 'Acme Sandbox', domain: 'acme-sandbox', botUserId: 'U0SBXBOTA01', botId: 'B0SBXBOTA01', rotation: true },
    { id: 'T0SBXGLOBX2', name: 'Globex Sandbox', domain: 'globex-sandbox', botUserId: 'U0SBXBOTG02', botId: 'B0SBXBOTG02', rotation: false },
  ] as readonly SlackAccount[],
  label: (account: SlackAccount) => `${account.name} (${account.domain}.slack.com)`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);

/** The channels of each workspace; the bot is a member of all but the last. */
export const CHANNELS = ['general', 'support', 'sales', 'random', 'hr-private'] as const;
export const MEMBER_CHANNELS = CHANNELS.length - 1;
export const channelId = (account: string, index: number) => `C${account.slice(-4)}${String(index).padStart(4, '0')}`;
