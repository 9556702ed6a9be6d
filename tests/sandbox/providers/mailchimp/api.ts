// Mailchimp's Marketing API v3 in the sandbox, on each account's own data-centre host
// (<dc>.api.mailchimp.com/3.0): the API root (who the account is), audiences, their members
// (count ≤ 1000 / offset / since_last_changed, total_items), merge fields, batch subscribe
// (POST /lists/{id}, ≤ 500 members, per-member errors), archive (DELETE …/members/{hash}), permanent
// deletion (POST …/members/{hash}/actions/delete-permanent) and audience webhooks. Errors are problem
// details { type, title, status, detail, instance }. Mailchimp allows 10 simultaneous connections per
// account and answers 429 past that; writes hold their connection for WRITE_HOLD_MS here, so
// concurrent writers really overlap.
import crypto from 'node:crypto';
import { z } from 'zod';
import { intParam, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { json, readJson, sleep, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate, identityHandler } from '../../oauth';
import type { SandboxState } from '../../state';
import { API_HOSTS, findAccount, PROFILE, type MailchimpAccount } from './accounts';
import {
  audiencePage,
  bookOf,
  isSeededAudience,
  mergeFieldsOf,
  seededDataset,
  seededIndexOf,
  seededMemberJson,
  STATUSES,
  storedMemberJson,
  storedMembers,
  subscriberHash,
  type MemberJson,
  type Webhook,
} from './audiences';

const PROVIDER = PROFILE.id;
export const MAX_CONNECTIONS = 10;
export const WRITE_HOLD_MS = 25;
export const MAX_BATCH = 500;
const MAX_COUNT = 1000;

export function mailchimpError(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Reply {
  return json(status, {
    type: 'https://mailchimp.com/developer/marketing/docs/errors/',
    title,
    status,
    detail,
    instance: crypto.randomUUID(),
    ...extra,
  }, { 'content-type': 'application/problem+json; charset=utf-8' });
}

export const faults: FaultReplies = {
  failed: (status) => mailchimpError(status, status >= 500 ? 'Internal Server Error' : 'Invalid Resource', `Forced by the sandbox (HTTP ${status}).`),
  rateLimited: () => mailchimpError(429, 'Too Many Requests', `You have exceeded the limit of ${MAX_CONNECTIONS} simultaneous connections.`),
};

/** The account the bearer token was granted for, on its own data centre's host, or the error. */
function authorize(ctx: RequestContext): { ok: true; account: MailchimpAccount } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, PROVIDER);
  const account = auth.ok ? findAccount(auth.grant.accountId) : undefined;
  if (!account) return { ok: false, reply: mailchimpError(401, 'API Key Invalid', 'Your API key may be invalid, or you’ve attempted to access the wrong datacenter.') };
  if (ctx.host !== `${account.dc}.api.mailchimp.com`) {
    return { ok: false, reply: mailchimpError(403, 'Wrong Datacenter', `The API key provided is linked to a different datacenter (${account.dc}).`) };
  }
  return { ok: true, account };
}

function audienceOf(account: MailchimpAccount, listId: string) {
  return account.audiences.find((audience) => audience.id === listId);
}
const notFound = () => mailchimpError(404, 'Resource Not Found', 'The requested resource could not be found.');

/** Takes one of the account's ten connections: the release function, or null when all are taken. */
export function takeConnection(state: SandboxState, accountId: string): (() => void) | null {
  const book = bookOf(state);
  const inFlight = book.inFlight.get(accountId) ?? 0;
  if (inFlight >= MAX_CONNECTIONS) return null;
  book.inFlight.set(accountId, inFlight + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    book.inFlight.set(accountId, (book.inFlight.get(accountId) ?? 1) - 1);
  };
}

/** Holds one of the account's connections for the duration of `work`; 429 when all ten are taken. */
async function connection(ctx: RequestContext, account: MailchimpAccount, work: () => Reply | Promise<Reply>, holdMs = 0): Promise<Reply> {
  const release = takeConnection(ctx.state, account.id);
  if (!release) return faults.rateLimited(0);
  try {
    if (holdMs > 0) await sleep(holdMs);
    return await work();
  } finally {
    release();
  }
}

type Handler = (ctx: RequestContext, account: MailchimpAccount) => Reply | Promise<Reply>;
function route(method: Route['method'], path: string, pattern: RegExp | undefined, handler: Handler, holdMs = 0): Route {
  return {
    method,
    hosts: API_HOSTS,
    path,
    ...(pattern ? { pattern } : {}),
    async handle(ctx) {
      const auth = authorize(ctx);
      if (!auth.ok) return auth.reply;
      return connection(ctx, auth.account, () => handler(ctx, auth.account), holdMs);
    },
  };
}

const LIST = '(?<list>[A-Za-z0-9]{1,20})';
const HASH = '(?<hash>[0-9a-f]{32})';

// ── Members: listing ─────────────────────────────────────────────────────────────────────────────

function listMembers(ctx: RequestContext, account: MailchimpAccount): Reply {
  const listId = ctx.params.list;
  if (!audienceOf(account, listId)) return notFound();
  const count = intParam(ctx.query.get('count'), 1, MAX_COUNT);
  const offset = intParam(ctx.query.get('offset'), 0, 10_000_000);
  if (count === null || offset === null) {
    return mailchimpError(400, 'Invalid Resource', `count must be between 1 and ${MAX_COUNT}; offset must be 0 or more.`);
  }
  const sinceRaw = ctx.query.get('since_last_changed');
  const sinceMs = sinceRaw ? parseTimestamp(sinceRaw) : undefined;
  if (sinceRaw && sinceMs === undefined) return mailchimpError(400, 'Invalid Resource', 'since_last_changed must be an ISO 8601 time, such as 2015-10-21T15:41:36+00:00.');
  const start = offset ?? 0;
  const size = count ?? 10;
  const gate = pageGate(ctx.state, `${PROVIDER}.members`, Math.floor(start / size) + 1, faults);
  if (gate) return gate;
  const page = audiencePage(ctx.state, account, listId, { sinceMs, offset: start, count: size });
  return json(200, { members: page.members, list_id: listId, total_items: page.total, _links: [] });
}

// ── Members: batch subscribe (POST /lists/{list_id}) ─────────────────────────────────────────────

const EMAIL = /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/;

interface BatchError {
  email_address: string;
  error: string;
  error_code: 'ERROR_CONTACT_EXISTS' | 'ERROR_GENERIC';
  field?: string;
  field_message?: string;
}

const batchBody = z.object({
  members: z.array(z.record(z.string(), z.unknown())),
  update_existing: z.boolean().nullable().optional(),
  sync_tags: z.boolean().nullable().optional(),
});

function checkMergeFields(account: MailchimpAccount, listId: string, values: unknown): { ok: true; values: Record<string, unknown> } | { ok: false; field: string; message: string } {
  if (values === undefined) return { ok: true, values: {} };
  if (!values || typeof values !== 'object' || Array.isArray(values)) return { ok: false, field: 'merge_fields', message: 'merge_fields must be an object' };
  const defs = new Map(mergeFieldsOf(account, listId).map((field) => [field.tag, field]));
  for (const [tagName, value] of Object.entries(values as Record<string, unknown>)) {
    const def = defs.get(tagName);
    if (!def) return { ok: false, field: `merge_fields.${tagName}`, message: `${tagName} is not a merge field of this audience` };
    if (def.type === 'address') {
      if (value !== '' && (typeof value !== 'object' || value === null)) return { ok: false, field: `merge_fields.${tagName}`, message: 'An address needs addr1, city, state and zip' };
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number') return { ok: false, field: `merge_fields.${tagName}`, message: 'Please enter a value' };
    if (def.choices && value !== '' && !def.choices.includes(String(value))) {
      return { ok: false, field: `merge_fields.${tagName}`, message: `${tagName} must be one of: ${def.choices.join(', ')}` };
    }
  }
  return { ok: true, values: values as Record<string, unknown> };
}

function batchSubscribe(ctx: RequestContext, account: MailchimpAccount): Reply {
  const listId = ctx.params.list;
  if (!audienceOf(account, listId)) return notFound();
  const parsed = readJson(ctx);
  const body = batchBody.safeParse(parsed.ok ? parsed.value : null);
  if (!body.success) return mailchimpError(400, 'Invalid Resource', 'The resource submitted could not be validated: members must be an array of objects.');
  if (body.data.members.length > MAX_BATCH) return mailchimpError(400, 'Invalid Resource', `Up to ${MAX_BATCH} members may be added or updated with each API call.`);
  const skipDuplicates = ctx.query.get('skip_duplicate_check') === 'true';
  const updateExisting = body.data.update_existing === true;
  const state = ctx.state;
  const book = bookOf(state);
  const stored = storedMembers(state, account.id, listId);
  const seeded = isSeededAudience(account, listId) ? seededDataset(state, account) : undefined;
  const newMembers: MemberJson[] = [];
  const updatedMembers: MemberJson[] = [];
  const errors: BatchError[] = [];
  const seen = new Set<string>();

  for (const item of body.data.members) {
    const email = typeof item.email_address === 'string' ? item.email_address.trim() : '';
    const refuse = (error: string, extra: Partial<BatchError> = {}) => errors.push({ email_address: email, error, error_code: 'ERROR_GENERIC', ...extra });
    if (!EMAIL.test(email)) {
      refuse(`${email || 'An empty address'} looks fake or invalid, please enter a real email address.`, { field: 'email_address', field_message: 'Please provide a valid email address.' });
      continue;
    }
    const status = item.status;
    const statusIfNew = item.status_if_new;
    const known = (value: unknown) => value === undefined || (typeof value === 'string' && (STATUSES as readonly string[]).includes(value));
    if (!known(status) || !known(statusIfNew) || (status === undefined && statusIfNew === undefined)) {
      refuse('Member must have a valid status or status_if_new.', { field: 'status', field_message: `Possible values: ${STATUSES.join(', ')}` });
      continue;
    }
    const merges = checkMergeFields(account, listId, item.merge_fields);
    if (!merges.ok) {
      refuse('Your merge fields were invalid.', { field: merges.field, field_message: merges.message });
      continue;
    }
    const hash = subscriberHash(email);
    if (seen.has(hash) && !skipDuplicates) {
      refuse(`${email} appears more than once in this request.`);
      continue;
    }
    seen.add(hash);
    if (book.erased.has(`${account.id}|${listId}|${hash}`)) {
      refuse(`${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`);
      continue;
    }
    const tick = state.data.tick();
    const seededIndex = seeded ? seededIndexOf(seeded, hash) : undefined;
    const existing = stored.get(hash);
    const current = existing ? existing.status : seeded && seededIndex !== undefined ? (seeded.isDeleted(seededIndex) ? 'archived' : String(seeded.fields(seededIndex).status)) : undefined;

    if (current !== undefined && current !== 'archived') {
      if (!updateExisting) {
        errors.push({ email_address: email, error: `${email} is already a list member. Use PUT to insert or update list members.`, error_code: 'ERROR_CONTACT_EXISTS' });
        continue;
      }
      if (status === 'subscribed' && (current === 'unsubscribed' || current === 'cleaned')) {
        refuse(`${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`);
        continue;
      }
      const nextStatus = typeof status === 'string' ? status : current;
      if (existing) {
        existing.status = nextStatus;
        existing.mergeFields = { ...existing.mergeFields, ...merges.values };
        existing.changedAt = tick;
        updatedMembers.push(storedMemberJson(listId, existing));
      } else {
        const fields = seeded!.fields(seededIndex!);
        const named = merges.values;
        fields.pendingEdit = {
          status: nextStatus,
          ...(named.FNAME !== undefined ? { first: named.FNAME } : {}),
          ...(named.LNAME !== undefined ? { last: named.LNAME } : {}),
          ...(named.PHONE !== undefined ? { phone: named.PHONE } : {}),
          merges: { ...((fields.merges as object) ?? {}), ...Object.fromEntries(Object.entries(named).filter(([name]) => !['FNAME', 'LNAME', 'PHONE'].includes(name))) },
        };
        seeded!.update(seededIndex!, tick);
        updatedMembers.push(seededMemberJson(seeded!, listId, seededIndex!));
      }
      continue;
    }
    if (seededIndex !== undefined) {
      // An archived seeded member: the sandbox cannot restore those (its seeded data only moves forward).
      refuse(`${email} is archived in this sandbox audience; add it to another audience.`);
      continue;
    }
    // New (or archived, which adding again restores): status, else status_if_new.
    const member = {
      id: hash,
      email,
      status: String(status ?? statusIfNew),
      mergeFields: { FNAME: '', LNAME: '', ADDRESS: '', PHONE: '', BIRTHDAY: '', ...existing?.mergeFields, ...merges.values },
      createdAt: existing?.createdAt ?? tick,
      changedAt: tick,
    };
    stored.set(hash, member);
    (existing ? updatedMembers : newMembers).push(storedMemberJson(listId, member));
  }
  return json(200, {
    new_members: newMembers,
    updated_members: updatedMembers,
    errors,
    total_created: newMembers.length,
    total_updated: updatedMembers.length,
    error_count: errors.length,
    _links: [],
  });
}

// ── Members: archive and permanent deletion ──────────────────────────────────────────────────────

function removeMember(ctx: RequestContext, account: MailchimpAccount, permanently: boolean): Reply {
  const listId = ctx.params.list;
  if (!audienceOf(account, listId)) return notFound();
  const hash = ctx.params.hash;
  const state = ctx.state;
  const stored = storedMembers(state, account.id, listId);
  const member = stored.get(hash);
  const seeded = isSeededAudience(account, listId) ? seededDataset(state, account) : undefined;
  const index = !member && seeded ? seededIndexOf(seeded, hash) : undefined;
  const gone = index !== undefined && Boolean(seeded!.fields(index).erased);
  if ((!member && index === undefined) || gone) return notFound();
  const tick = state.data.tick();
  if (permanently) {
    bookOf(state).erased.add(`${account.id}|${listId}|${hash}`);
    if (member) stored.delete(hash);
    else {
      seeded!.fields(index!).erased = true;
      if (!seeded!.isDeleted(index!)) seeded!.remove(index!, tick);
    }
    return { status: 204 };
  }
  if (member) {
    if (member.status === 'archived') return notFound();
    member.status = 'archived';
    member.changedAt = tick;
  } else {
    if (seeded!.isDeleted(index!)) return notFound();
    seeded!.remove(index!, tick);
  }
  return { status: 204 };
}

// ── Webhooks ─────────────────────────────────────────────────────────────────────────────────────

const webhookBody = z.object({
  url: z.string().url(),
  events: z.record(z.string(), z.boolean()).optional(),
  sources: z.record(z.string(), z.boolean()).optional(),
});

const renderWebhook = (hook: Webhook) => ({ id: hook.id, url: hook.url, events: hook.events, sources: hook.sources, list_id: hook.listId, _links: [] });

/** Mailchimp checks a webhook URL before saving it: a GET that must answer 200 (within its 10 s timeout). */
async function validate(ctx: RequestContext, url: string): Promise<boolean> {
  let ok = false;
  try {
    const response = await fetch(url, { method: 'GET', headers: { 'user-agent': 'MailChimp' }, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    ok = response.status === 200;
    await response.body?.cancel();
  } catch {
    ok = false;
  }
  bookOf(ctx.state).validations.push({ url: redactToken(url), ok });
  return ok;
}

export function redactToken(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('token')) parsed.searchParams.set('token', '[redacted]');
  return parsed.toString();
}

async function createWebhook(ctx: RequestContext, account: MailchimpAccount): Promise<Reply> {
  const listId = ctx.params.list;
  if (!audienceOf(account, listId)) return notFound();
  const parsed = readJson(ctx);
  const body = webhookBody.safeParse(parsed.ok ? parsed.value : null);
  if (!body.success) return mailchimpError(400, 'Invalid Resource', 'The resource submitted could not be validated: url is required.');
  const book = bookOf(ctx.state);
  const live = [...book.webhooks.values()].filter((hook) => hook.account === account.id && hook.listId === listId && hook.status === 'active');
  if (live.some((hook) => hook.url === body.data.url)) return mailchimpError(400, 'Invalid Resource', 'Sorry, that Webhook URL already exists for this audience.');
  const hook: Webhook = {
    id: crypto.createHash('md5').update(`${account.id}|${listId}|${++book.serial}`).digest('hex').slice(0, 10),
    account: account.id,
    listId,
    url: body.data.url,
    events: { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true, ...body.data.events },
    sources: { user: true, admin: true, api: false, ...body.data.sources },
    status: 'rejected',
  };
  book.webhooks.set(hook.id, hook);
  if (!(await validate(ctx, hook.url))) {
    return mailchimpError(400, 'Invalid Resource', "The resource submitted could not be validated. We couldn't verify the URL is working.");
  }
  hook.status = 'active';
  return json(200, renderWebhook(hook));
}

export const mailchimpApiRoutes: Route[] = [
  {
    method: 'GET',
    hosts: API_HOSTS,
    path: '/3.0/',
    handle: identityHandler(
      PROVIDER,
      (status) => mailchimpError(status, 'Forced', `Forced by the sandbox (HTTP ${status}).`),
      (ctx) => {
        const auth = authorize(ctx);
        if (!auth.ok) return auth.reply;
        const { account } = auth;
        return json(200, {
          account_id: account.id,
          login_id: account.id.slice(-8),
          account_name: account.name,
          email: account.email,
          first_name: account.name.split(' ')[0],
          last_name: account.name.split(' ').slice(1).join(' '),
          username: account.email,
          role: 'owner',
          member_since: '2019-04-01T09:00:00+00:00',
          pricing_plan_type: 'monthly',
          account_timezone: 'Europe/London',
          total_subscribers: seededDataset(ctx.state, account).live,
          _links: [],
        });
      },
    ),
  },
  route('GET', '/3.0/lists', undefined, (ctx, account) => {
    const count = intParam(ctx.query.get('count'), 1, MAX_COUNT) ?? 10;
    const offset = intParam(ctx.query.get('offset'), 0, 10_000_000) ?? 0;
    const lists = account.audiences.map((audience) => ({ id: audience.id, web_id: Number.parseInt(tagOf(audience.id), 16), name: audience.name, stats: {} }));
    return json(200, { lists: lists.slice(offset, offset + count), total_items: lists.length, constraints: { may_create: true, max_instances: 5, current_total_instances: lists.length }, _links: [] });
  }),
  route('GET', '/3.0/lists/{list}/members', new RegExp(`^/3\\.0/lists/${LIST}/members/?$`), listMembers),
  route('GET', '/3.0/lists/{list}/merge-fields', new RegExp(`^/3\\.0/lists/${LIST}/merge-fields/?$`), (ctx, account) => {
    const listId = ctx.params.list;
    if (!audienceOf(account, listId)) return notFound();
    const count = intParam(ctx.query.get('count'), 1, MAX_COUNT) ?? 10;
    const offset = intParam(ctx.query.get('offset'), 0, 10_000_000) ?? 0;
    const fields = mergeFieldsOf(account, listId).map((field, index) => ({
      merge_id: index + 1,
      tag: field.tag,
      name: field.name,
      type: field.type,
      required: false,
      default_value: '',
      public: true,
      display_order: index + 2,
      options: field.choices ? { choices: field.choices } : {},
      help_text: '',
      list_id: listId,
    }));
    return json(200, { merge_fields: fields.slice(offset, offset + count), list_id: listId, total_items: fields.length, _links: [] });
  }),
  route('POST', '/3.0/lists/{list}', new RegExp(`^/3\\.0/lists/${LIST}/?$`), batchSubscribe, WRITE_HOLD_MS),
  route('DELETE', '/3.0/lists/{list}/members/{hash}', new RegExp(`^/3\\.0/lists/${LIST}/members/${HASH}$`), (ctx, account) => removeMember(ctx, account, false), WRITE_HOLD_MS),
  route(
    'POST',
    '/3.0/lists/{list}/members/{hash}/actions/delete-permanent',
    new RegExp(`^/3\\.0/lists/${LIST}/members/${HASH}/actions/delete-permanent$`),
    (ctx, account) => removeMember(ctx, account, true),
    WRITE_HOLD_MS,
  ),
  route('POST', '/3.0/lists/{list}/webhooks', new RegExp(`^/3\\.0/lists/${LIST}/webhooks/?$`), createWebhook),
  route('GET', '/3.0/lists/{list}/webhooks', new RegExp(`^/3\\.0/lists/${LIST}/webhooks/?$`), (ctx, account) => {
    if (!audienceOf(account, ctx.params.list)) return notFound();
    const hooks = [...bookOf(ctx.state).webhooks.values()].filter((hook) => hook.account === account.id && hook.listId === ctx.params.list && hook.status === 'active');
    return json(200, { webhooks: hooks.map(renderWebhook), list_id: ctx.params.list, total_items: hooks.length, _links: [] });
  }),
  route('DELETE', '/3.0/lists/{list}/webhooks/{id}', new RegExp(`^/3\\.0/lists/${LIST}/webhooks/(?<id>[A-Za-z0-9]{1,20})$`), (ctx, account) => {
    const book = bookOf(ctx.state);
    const hook = book.webhooks.get(ctx.params.id);
    if (!hook || hook.status !== 'active' || hook.account !== account.id || hook.listId !== ctx.params.list) return notFound();
    book.webhooks.delete(hook.id);
    return { status: 204 };
  }),
];

function tagOf(text: string): string {
  return crypto.createHash('md5').update(text).digest('hex').slice(0, 6);
}
