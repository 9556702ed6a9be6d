// GitHub's two sandbox users. The first authorizes like a GitHub App (expiring 8-hour user tokens
// with a rotating 6-month refresh token), the second like an OAuth App (a token that never expires,
// no refresh token), so both token kinds the app must store are exercised. The account id is the
// user's numeric id, which the app's identify() reports.
import { defineProfile } from '../../provider';

export interface GithubAccount {
  id: string;
  login: string;
  name: string;
  email: string;
  tokens: 'expiring' | 'non-expiring';
}

export const API = 'https://api.github.com';
export const WEB = 'https://github.com';
export const API_HOST = 'api.github.com';
export const WEB_HOST = 'github.com';

export const PROFILE = defineProfile({
  id: 'github',
  name: 'GitHub',
  accounts: [
    { id: '5830001', login: 'ada-lovelace', name: 'Ada Lovelace', email: 'ada@github-sandbox.example', tokens: 'expiring' },
    { id: '5830002', login: 'grace-hopper', name: 'Grace Hopper', email: 'grace@github-sandbox.example', tokens: 'non-expiring' },
  ] as readonly GithubAccount[],
  label: (account: GithubAccount) => `${account.name} (@${account.login})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
export const findByLogin = (login: string) => PROFILE.accounts.find((account) => account.login.toLowerCase() === login.toLowerCase());
export const userObject = (account: GithubAccount) => ({
  login: account.login,
  id: Number(account.id),
  node_id: `U_${account.id}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
  url: `${API}/users/${account.login}`,
  html_url: `${WEB}/${account.login}`,
  type: 'User',
  site_admin: false,
});
