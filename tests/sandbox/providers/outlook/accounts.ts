// Microsoft Outlook's two sandbox users: the account id is the Graph user id (a GUID), as /me returns it.
import { defineProfile } from '../../provider';

export interface OutlookAccount {
  id: string;
  email: string;
  name: string;
}

export const PROFILE = defineProfile({
  id: 'outlook',
  name: 'Microsoft Outlook',
  accounts: [
    { id: '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f', email: 'adele@sandbox.example', name: 'Adele Vance' },
    { id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d', email: 'megan@sandbox.example', name: 'Megan Bowen' },
  ] as readonly OutlookAccount[],
  label: (account: OutlookAccount) => account.email,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
