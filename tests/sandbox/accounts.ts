// The providers the sandbox plays, their one OAuth client each, and two fixed accounts per
// provider, so tests can assert exactly which identity a connection ends up with.

export const PROVIDER_IDS = ['google-calendar', 'salesforce', 'hubspot', 'square', 'fresha'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  'google-calendar': 'Google Calendar',
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  square: 'Square',
  fresha: 'Fresha',
};

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
}

export function sandboxClient(provider: ProviderId): SandboxClient {
  return { clientId: `sandbox-${provider}`, clientSecret: `sandbox-secret-${provider}` };
}

export interface GoogleAccount {
  id: string;
  email: string;
  name: string;
}
export interface SalesforceAccount {
  id: string;
  organizationId: string;
  userId: string;
  email: string;
  name: string;
  instanceHost: string;
}
export interface HubSpotAccount {
  id: string;
  hubId: number;
  userId: number;
  user: string;
  hubDomain: string;
}
export interface SquareAccount {
  id: string;
  merchantId: string;
  businessName: string;
  mainLocationId: string;
}
export interface FreshaAccount {
  id: string;
  businessId: string;
  name: string;
}

export interface AccountsByProvider {
  'google-calendar': GoogleAccount[];
  salesforce: SalesforceAccount[];
  hubspot: HubSpotAccount[];
  square: SquareAccount[];
  fresha: FreshaAccount[];
}

/** `id` is what the consent page's Account select submits. */
export const ACCOUNTS: AccountsByProvider = {
  'google-calendar': [
    { id: 'ada@sandbox.example', email: 'ada@sandbox.example', name: 'Ada Lovelace' },
    { id: 'grace@sandbox.example', email: 'grace@sandbox.example', name: 'Grace Hopper' },
  ],
  salesforce: [
    {
      id: '00DSBX0000000001',
      organizationId: '00DSBX0000000001',
      userId: '005SBX0000000001',
      email: 'ada@acme-sandbox.example',
      name: 'Ada Lovelace',
      instanceHost: 'acme-sandbox.my.salesforce.com',
    },
    {
      id: '00DSBX0000000002',
      organizationId: '00DSBX0000000002',
      userId: '005SBX0000000002',
      email: 'grace@globex-sandbox.example',
      name: 'Grace Hopper',
      instanceHost: 'globex-sandbox.my.salesforce.com',
    },
  ],
  hubspot: [
    { id: '4242001', hubId: 4242001, userId: 7100001, user: 'ada@sandbox.example', hubDomain: 'acme-sandbox.hubspot.com' },
    { id: '4242002', hubId: 4242002, userId: 7100002, user: 'grace@sandbox.example', hubDomain: 'globex-sandbox.hubspot.com' },
  ],
  square: [
    { id: 'MLSBX0000000001', merchantId: 'MLSBX0000000001', businessName: 'Acme Studio', mainLocationId: 'LSBX0000000001' },
    { id: 'MLSBX0000000002', merchantId: 'MLSBX0000000002', businessName: 'Globex Salon', mainLocationId: 'LSBX0000000002' },
  ],
  fresha: [
    { id: 'fresha-sbx-0001', businessId: 'fresha-sbx-0001', name: 'Acme Beauty' },
    { id: 'fresha-sbx-0002', businessId: 'fresha-sbx-0002', name: 'Globex Spa' },
  ],
};

export function findAccount<P extends ProviderId>(provider: P, id: string): AccountsByProvider[P][number] | undefined {
  return (ACCOUNTS[provider] as AccountsByProvider[P][number][]).find((account) => account.id === id);
}

/** What the consent page's Account select shows. */
export function accountLabel(provider: ProviderId, id: string): string {
  const account = findAccount(provider, id);
  if (!account) return id;
  switch (provider) {
    case 'google-calendar':
      return (account as GoogleAccount).email;
    case 'salesforce': {
      const a = account as SalesforceAccount;
      return `${a.email} (org ${a.organizationId})`;
    }
    case 'hubspot': {
      const a = account as HubSpotAccount;
      return `${a.hubDomain} (${a.hubId}, ${a.user})`;
    }
    case 'square': {
      const a = account as SquareAccount;
      return `${a.businessName} (${a.merchantId})`;
    }
    case 'fresha': {
      const a = account as FreshaAccount;
      return `${a.name} (${a.businessId})`;
    }
  }
}
