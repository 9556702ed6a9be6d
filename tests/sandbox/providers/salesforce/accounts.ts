// Salesforce's two sandbox orgs, each with its own instance (My Domain) host; the account id is
// the org id.
import { defineProfile } from '../../provider';

export interface SalesforceAccount {
  id: string;
  organizationId: string;
  userId: string;
  email: string;
  name: string;
  instanceHost: string;
}

export const PROFILE = defineProfile({
  id: 'salesforce',
  name: 'Salesforce',
  accounts: [
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
  ] as readonly SalesforceAccount[],
  label: (account: SalesforceAccount) => `${account.email} (org ${account.organizationId})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
export const INSTANCE_HOSTS = PROFILE.accounts.map((account) => account.instanceHost);
