// Acuity Scheduling's two sandbox accounts; the account id is the Acuity user id (what GET /me
// answers as id), and each has its own API key. Each business has two staff calendars and two
// appointment types, and works Monday–Friday 09:00–17:00 in its own time zone.
import { defineProfile } from '../../provider';

export interface AcuityAccount {
  id: string;
  apiKey: string;
  name: string;
  email: string;
  timezone: string;
}

export const API_HOST = 'acuityscheduling.com';

export const PROFILE = defineProfile({
  id: 'acuity',
  name: 'Acuity Scheduling',
  accounts: [
    { id: '10001', apiKey: 'sandbox-acuity-key-0000000010001', name: 'Bloom Studio', email: 'owner@bloom-sandbox.example', timezone: 'Europe/London' },
    { id: '10002', apiKey: 'sandbox-acuity-key-0000000010002', name: 'Northside Physio', email: 'desk@northside-sandbox.example', timezone: 'America/Chicago' },
  ] as readonly AcuityAccount[],
  label: (account: AcuityAccount) => `${account.name} (user ${account.id})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);

export const APPOINTMENT_TYPES = [
  { id: 1, name: 'Consultation', duration: 60, price: '60.00' },
  { id: 2, name: 'Follow-up', duration: 30, price: '35.00' },
] as const;
export const CALENDARS = [
  { id: 11, name: 'Alex Morgan' },
  { id: 12, name: 'Sam Patel' },
] as const;
