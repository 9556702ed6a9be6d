// HubSpot's two sandbox portals (hubs); the account id is the hub id.
import { defineProfile } from '../../provider';

export interface HubSpotAccount {
  id: string;
  hubId: number;
  userId: number;
  user: string;
  hubDomain: string;
}

export const PROFILE = defineProfile({
  id: 'hubspot',
  name: 'HubSpot',
  accounts: [
    { id: '4242001', hubId: 4242001, userId: 7100001, user: 'ada@sandbox.example', hubDomain: 'acme-sandbox.hubspot.com' },
    { id: '4242002', hubId: 4242002, userId: 7100002, user: 'grace@sandbox.example', hubDomain: 'globex-sandbox.hubspot.com' },
  ] as readonly HubSpotAccount[],
  label: (account: HubSpotAccount) => `${account.hubDomain} (${account.hubId}, ${account.user})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
