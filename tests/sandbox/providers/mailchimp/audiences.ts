// The sandbox's Mailchimp audiences: the first audience of each account holds the seeded members
// (the members dataset, data.ts), every audience holds the members written through the API (batch
// subscribe), and each audience has merge fields and webhooks. Kept per sandbox state and forgotten
// when the state resets (stats are replaced then).
import crypto from 'node:crypto';
import { getDataset, type Dataset, type Fields, type ResourceSpec } from '../../data';
import { email as fakeEmail, personName, phone, pick, tag } from '../../data-fake';
import type { SandboxState } from '../../state';
import { PROFILE, type MailchimpAccount } from './accounts';

export const subscriberHash = (email: string) => crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex');
/** Mailchimp's timestamps: to the second, "+00:00". */
export const mailchimpTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');

export const STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional'] as const;

export interface MergeFieldDef {
  tag: string;
  name: string;
  type: string;
  choices?: string[];
}

/** Every audience's merge fields: Mailchimp's defaults plus, on the second audience, two of the owner's. */
export function mergeFieldsOf(account: MailchimpAccount, listId: string): MergeFieldDef[] {
  const defaults: MergeFieldDef[] = [
    { tag: 'FNAME', name: 'First Name', type: 'text' },
    { tag: 'LNAME', name: 'Last Name', type: 'text' },
    { tag: 'ADDRESS', name: 'Address', type: 'address' },
    { tag: 'PHONE', name: 'Phone Number', type: 'phone' },
    { tag: 'BIRTHDAY', name: 'Birthday', type: 'birthday' },
  ];
  if (listId !== account.audiences[1]?.id) return defaults;
  return [...defaults, { tag: 'COMPANY', name: 'Company', type: 'text' }, { tag: 'STAGE', name: 'Lifecycle stage', type: 'dropdown', choices: ['lead', 'customer', 'other'] }];
}

/** A member written through the API. */
export interface StoredMember {
  id: string;
  email: string;
  status: string;
  mergeFields: Record<string, unknown>;
  createdAt: number;
  changedAt: number;
}

export interface Webhook {
  id: string;
  account: string;
  listId: string;
  url: string;
  events: Record<string, boolean>;
  sources: Record<string, boolean>;
  /** rejected: the validation GET failed, so Mailchimp never created it (kept for read-outs and samples). */
  status: 'active' | 'rejected';
}

interface Book {
  generation: object;
  /** "<account>|<list>" → subscriber hash → member. */
  members: Map<string, Map<string, StoredMember>>;
  /** "<account>|<list>|<hash>": permanently deleted, never to be re-imported. */
  erased: Set<string>;
  webhooks: Map<string, Webhook>;
  /** Every validation GET Mailchimp made of a webhook URL, and whether it answered 200. */
  validations: { url: string; ok: boolean }[];
  /** In-flight requests per account (Mailchimp allows 10 simultaneous connections). */
  inFlight: Map<string, number>;
  serial: number;
}
const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, members: new Map(), erased: new Set(), webhooks: new Map(), validations: [], inFlight: new Map(), serial: 0 };
    BOOKS.set(state, book);
  }
  return book;
}

export function storedMembers(state: SandboxState, account: string, listId: string): Map<string, StoredMember> {
  const book = bookOf(state);
  const key = `${account}|${listId}`;
  let members = book.members.get(key);
  if (!members) {
    members = new Map();
    book.members.set(key, members);
  }
  return members;
}

/** Seeded member ids sort in index order (the dataset's rule); the member's API id is its subscriber hash. */
const seededId = (index: number, account: string) => `${account.slice(0, 6)}${String(index).padStart(8, '0')}`;

export const membersSpec: ResourceSpec = {
  key: 'mailchimp.members',
  provider: PROFILE.id,
  resource: 'members',
  idOf: seededId,
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    const roll = rng();
    const status = roll < 0.08 ? 'unsubscribed' : roll < 0.1 ? 'cleaned' : 'subscribed';
    return { first, last, email: fakeEmail(first, last, index, rng), status, phone: phone(rng), erased: false };
  },
  update(fields, rng) {
    // A write through the API carries its edit; a person's edit in Mailchimp changes the phone number.
    const edit = fields.pendingEdit as Fields | undefined;
    if (edit) {
      Object.assign(fields, edit);
      delete fields.pendingEdit;
      return;
    }
    fields.phone = phone(rng);
    fields.last = pick(rng, ['Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Costa']);
  },
};

export const seededDataset = (state: SandboxState, account: MailchimpAccount): Dataset => getDataset(state, membersSpec, account.id);
export const isSeededAudience = (account: MailchimpAccount, listId: string) => account.audiences[0]?.id === listId;

/** The seeded member with this hash, as its dataset index (a map built once per dataset size). */
const HASHES = new WeakMap<Dataset, { count: number; byHash: Map<string, number> }>();
export function seededIndexOf(dataset: Dataset, hash: string): number | undefined {
  let cached = HASHES.get(dataset);
  if (!cached || cached.count !== dataset.count) {
    const byHash = new Map<string, number>();
    for (let i = 0; i < dataset.count; i++) byHash.set(subscriberHash(String(dataset.fields(i).email)), i);
    cached = { count: dataset.count, byHash };
    HASHES.set(dataset, cached);
  }
  return cached.byHash.get(hash);
}

function memberJson(listId: string, m: { id: string; email: string; status: string; mergeFields: Record<string, unknown>; createdAt: number; changedAt: number }) {
  const first = String(m.mergeFields.FNAME ?? '');
  const last = String(m.mergeFields.LNAME ?? '');
  return {
    id: m.id,
    email_address: m.email,
    unique_email_id: tag(`${listId}|${m.email}`).padEnd(10, '0').slice(0, 10),
    contact_id: tag(m.email).repeat(4),
    full_name: [first, last].filter(Boolean).join(' '),
    web_id: Number.parseInt(m.id.slice(0, 7), 16),
    email_type: 'html',
    status: m.status,
    merge_fields: m.mergeFields,
    ip_signup: '',
    timestamp_signup: mailchimpTime(m.createdAt),
    ip_opt: '',
    timestamp_opt: mailchimpTime(m.createdAt),
    member_rating: 2,
    last_changed: mailchimpTime(m.changedAt),
    language: '',
    vip: false,
    email_client: '',
    source: 'API - Generic',
    tags_count: 0,
    tags: [],
    list_id: listId,
  };
}
export type MemberJson = ReturnType<typeof memberJson>;

export function seededMemberJson(dataset: Dataset, listId: string, index: number): MemberJson {
  const fields = dataset.fields(index);
  const email = String(fields.email);
  return memberJson(listId, {
    id: subscriberHash(email),
    email,
    // Deleting through the control API archives the member: it stays listed, status "archived".
    status: dataset.isDeleted(index) ? 'archived' : String(fields.status),
    mergeFields: { FNAME: fields.first, LNAME: fields.last, ADDRESS: '', PHONE: fields.phone, BIRTHDAY: '', ...((fields.merges as object) ?? {}) },
    createdAt: dataset.createdAt[index],
    changedAt: dataset.updatedAt[index],
  });
}

export const storedMemberJson = (listId: string, member: StoredMember): MemberJson => memberJson(listId, member);

/**
 * One page of an audience's members in listing order (seeded first, then written ones), only those
 * changed after `sinceMs` if given, and how many there are in all. Only the page is rendered.
 */
export function audiencePage(state: SandboxState, account: MailchimpAccount, listId: string, window: { sinceMs?: number; offset: number; count: number }): { members: MemberJson[]; total: number } {
  const { sinceMs, offset, count } = window;
  const members: MemberJson[] = [];
  let total = 0;
  const take = (render: () => MemberJson) => {
    if (total >= offset && members.length < count) members.push(render());
    total += 1;
  };
  if (isSeededAudience(account, listId)) {
    const dataset = seededDataset(state, account);
    for (let i = 0; i < dataset.count; i++) {
      if (dataset.fields(i).erased) continue;
      if (sinceMs !== undefined && !(dataset.updatedAt[i] > sinceMs)) continue;
      take(() => seededMemberJson(dataset, listId, i));
    }
  }
  for (const member of storedMembers(state, account.id, listId).values()) {
    if (sinceMs !== undefined && !(member.changedAt > sinceMs)) continue;
    take(() => storedMemberJson(listId, member));
  }
  return { members, total };
}
