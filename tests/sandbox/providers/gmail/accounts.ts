// Gmail's two sandbox users: the account id is the mailbox's address (users.getProfile emailAddress).
import { defineProfile } from '../../provider';

export interface GmailAccount {
  id: string;
  email: string;
  name: string;
}

export const PROFILE = defineProfile({
  id: 'gmail',
  name: 'Gmail',
  accounts: [
    { id: 'ada.mail@sandbox.example', email: 'ada.mail@sandbox.example', name: 'Ada Lovelace' },
    { id: 'grace.mail@sandbox.example', email: 'grace.mail@sandbox.example', name: 'Grace Hopper' },
  ] as readonly GmailAccount[],
  label: (account: GmailAccount) => account.email,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);

export const API_HOST = 'gmail.googleapis.com';
export const API_PREFIX = '/gmail/v1/users/me';
export const READ_SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';
export const SEND_SCOPE = 'https://www.googleapis.com/auth/gmail.send';
export const COMPOSE_SCOPE = 'https://www.googleapis.com/auth/gmail.compose';
