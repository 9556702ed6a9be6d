// Mailchimp's two sandbox accounts. The account id is what GET /3.0/ answers as account_id; each
// account lives in its own data centre (its API host is <dc>.api.mailchimp.com) and has two
// audiences: the first holds the seeded members (the members dataset), the second starts empty and
// receives what the hub pushes (tests and the e2e count it through GET /_sandbox/webhooks/mailchimp-audiences).
import { defineProfile } from '../../provider';

export interface MailchimpAccount {
  id: string;
  dc: string;
  name: string;
  email: string;
  audiences: readonly { id: string; name: string }[];
}

export const LOGIN_HOST = 'login.mailchimp.com';

export const PROFILE = defineProfile({
  id: 'mailchimp',
  name: 'Mailchimp',
  accounts: [
    {
      id: '8d3a3db4d97663a9074efcc16',
      dc: 'us6',
      name: 'Bloom Studio',
      email: 'owner@bloom-sandbox.example',
      audiences: [
        { id: 'b1a2c3d4e5', name: 'Bloom customers' },
        { id: 'b9f8e7d6c5', name: 'Bloom newsletter' },
      ],
    },
    {
      id: '3f1c0b2a9e8d7c6b5a4f3e2d1',
      dc: 'us19',
      name: 'Northside Physio',
      email: 'desk@northside-sandbox.example',
      audiences: [
        { id: 'n1a2c3d4e5', name: 'Northside patients' },
        { id: 'n9f8e7d6c5', name: 'Northside newsletter' },
      ],
    },
  ] as readonly MailchimpAccount[],
  label: (account: MailchimpAccount) => `${account.name} (${account.dc})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
export const apiHost = (account: MailchimpAccount) => `${account.dc}.api.mailchimp.com`;
export const API_HOSTS = PROFILE.accounts.map(apiHost);
