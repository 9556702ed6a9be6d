// Calendly's two sandbox users, each in an organization of their own; the account id is the user's
// uuid (the last part of its URI), which the app's identify() reports.
import { defineProfile } from '../../provider';

export interface CalendlyAccount {
  id: string;
  organization: string;
  name: string;
  email: string;
  timezone: string;
}

export const API = 'https://api.calendly.com';
export const AUTH_HOST = 'auth.calendly.com';
export const API_HOST = 'api.calendly.com';

export const PROFILE = defineProfile({
  id: 'calendly',
  name: 'Calendly',
  accounts: [
    { id: 'SBXUSERADA000001', organization: 'SBXORGACME000001', name: 'Ada Lovelace', email: 'ada@calendly-sandbox.example', timezone: 'Europe/London' },
    { id: 'SBXUSERGRACE0002', organization: 'SBXORGGLOBEX0002', name: 'Grace Hopper', email: 'grace@calendly-sandbox.example', timezone: 'America/New_York' },
  ] as readonly CalendlyAccount[],
  label: (account: CalendlyAccount) => `${account.name} (${account.email})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
export const userUri = (account: CalendlyAccount) => `${API}/users/${account.id}`;
export const organizationUri = (account: CalendlyAccount) => `${API}/organizations/${account.organization}`;

/** Each user's event types (fixed): what availability and booking pick from. */
export const EVENT_TYPES = [
  { slug: 'intro-call', name: 'Intro call', duration: 30 },
  { slug: 'consultation', name: 'Consultation', duration: 60 },
  { slug: 'quick-chat', name: 'Quick chat', duration: 15 },
] as const;
export const eventTypeUuid = (account: string, slug: string) => `ET${account.slice(-6)}${slug.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
export const eventTypeUri = (account: string, slug: string) => `${API}/event_types/${eventTypeUuid(account, slug)}`;
