// Google Calendar's two sandbox users: the account id is the Google account's email, which is also
// the primary calendar's id.
import { defineProfile } from '../../provider';

export interface GoogleAccount {
  id: string;
  email: string;
  name: string;
}

export const PROFILE = defineProfile({
  id: 'google-calendar',
  name: 'Google Calendar',
  accounts: [
    { id: 'ada@sandbox.example', email: 'ada@sandbox.example', name: 'Ada Lovelace' },
    { id: 'grace@sandbox.example', email: 'grace@sandbox.example', name: 'Grace Hopper' },
  ] as readonly GoogleAccount[],
  label: (account: GoogleAccount) => account.email,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
