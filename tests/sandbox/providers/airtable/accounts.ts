// Airtable's two sandbox users, each with one base holding one "Contacts" table (the dataset
// airtable.records). The account id is the user id GET /v0/meta/whoami reports.
import { defineProfile } from '../../provider';

export interface AirtableAccount {
  id: string;
  email: string;
  name: string;
  /** One letter naming the account inside its record ids. */
  letter: string;
  base: { id: string; name: string };
  table: { id: string; name: string };
}

export const API_HOST = 'api.airtable.com';
export const AUTH_HOST = 'airtable.com';
export const API = `https://${API_HOST}/v0`;

export const PROFILE = defineProfile({
  id: 'airtable',
  name: 'Airtable',
  accounts: [
    {
      id: 'usrSbxAdaLovelace',
      email: 'ada@airtable-sandbox.example',
      name: 'Ada Lovelace',
      letter: 'A',
      base: { id: 'appSbxAdaCrm00001', name: 'Ada CRM' },
      table: { id: 'tblSbxAdaContacts', name: 'Contacts' },
    },
    {
      id: 'usrSbxGraceHopper',
      email: 'grace@airtable-sandbox.example',
      name: 'Grace Hopper',
      letter: 'G',
      base: { id: 'appSbxGraceCrm002', name: 'Grace CRM' },
      table: { id: 'tblSbxGraceContac', name: 'Contacts' },
    },
  ] as readonly AirtableAccount[],
  label: (account: AirtableAccount) => `${account.name} (${account.email})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
export const accountOfBase = (baseId: string) => PROFILE.accounts.find((account) => account.base.id === baseId);

/** The table's schema as GET /v0/meta/bases/{baseId}/tables answers it ✔ (get-base-schema). */
export const FIELDS = [
  { id: 'fldSbxName0000001', name: 'Name', type: 'singleLineText' },
  { id: 'fldSbxEmail000002', name: 'Email', type: 'email' },
  { id: 'fldSbxPhone000003', name: 'Phone', type: 'phoneNumber' },
  { id: 'fldSbxCompany0004', name: 'Company', type: 'singleLineText' },
  {
    id: 'fldSbxStatus00005',
    name: 'Status',
    type: 'singleSelect',
    options: { choices: ['Lead', 'Customer', 'Churned'].map((name, i) => ({ id: `selSbxStatus0000${i}`, name, color: 'blueLight2' })) },
  },
  { id: 'fldSbxNotes000006', name: 'Notes', type: 'multilineText' },
  { id: 'fldSbxScore000007', name: 'Score', type: 'number', options: { precision: 0 } },
  { id: 'fldSbxCreated0008', name: 'Created', type: 'createdTime', options: { result: { type: 'dateTime' } } },
] as const;
export const STATUS_CHOICES = ['Lead', 'Customer', 'Churned'] as const;
export const fieldByName = (name: string) => FIELDS.find((field) => field.name === name);
