// Pushing the workspace's contacts into a Mailchimp audience: the destination `members`.
//
// Writes. POST /lists/{list_id} ("Batch subscribe or unsubscribe") adds or updates up to 500 members
// in one request; with update_existing it updates the members it already has, and it answers
// new_members, updated_members and errors[] ({ email_address, error, error_code, field,
// field_message }) per email, HTTP 200 even when some were refused
// (the official SDK repository mailchimp/mailchimp-marketing-typescript-sdk:
// src/api/resources/lists/client/requests/BatchSubscribeOrUnsubscribeListsRequest.ts and
// types/BatchSubscribeOrUnsubscribeListsResponse.ts). So one request per 500 records, and each
// refused record maps back to its key (the email). Members are matched by email (their id is the
// subscriber hash, the MD5 of the lowercase email), so the match key is fixed: EMAIL.
// New members are added with status_if_new "subscribed"; an existing member's status is never sent,
// so a push never resubscribes someone who unsubscribed or bounced (Mailchimp refuses that anyway:
// "… is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed").
//
// Removals have no batch form: archive is DELETE /lists/{id}/members/{hash} (the member stays with
// status "archived", restorable by adding them again); delete is POST
// /lists/{id}/members/{hash}/actions/delete-permanent (gone for good; Mailchimp then refuses to
// re-import the address). One request per record, REMOVE_CONCURRENCY at a time; a member already gone
// (404) counts as removed.
//
// Rate. Mailchimp's only documented limit is 10 simultaneous connections per account, with 429 past
// it (shared/providers.md ✔; https://mailchimp.com/developer/marketing/docs/fundamentals/#api-limits).
// There is no per-second budget, so requestsPerSecond expresses that cap through Little's law
// (in flight = rate × duration): a batch of 500 takes well under a second at Mailchimp, so 10 requests a
// second keeps fewer than 10 in flight even if the engine overlapped them; sequential writes (one at a
// time per destination) never come near it. Removals run REMOVE_CONCURRENCY (5) at once, half the cap,
// leaving room for the account's other integrations.
import { z } from 'zod';
import type { FieldType } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ProviderClient, PushDestination, PushField, PushOutcome, PushRecord, PushRemoval, PushTargetRef } from '../types';
import { mailchimp, subscriberHash } from './api';
import { listAudiences } from './resources';

export const BATCH_SIZE = 500;
export const REQUESTS_PER_SECOND = 10;
export const REMOVE_CONCURRENCY = 5;
/** The fixed match field: the member's email address (merge tag EMAIL, API field email_address). */
export const EMAIL_FIELD = 'EMAIL';
const MERGE_FIELDS_PAGE = 1000;

const mergeField = z
  .object({
    tag: z.string().min(1),
    name: z.string(),
    type: z.string(),
    required: z.boolean().optional(),
    options: z.object({ choices: z.array(z.string()).optional() }).passthrough().optional(),
  })
  .passthrough();
const mergeFieldsPage = z.object({ merge_fields: z.array(mergeField), total_items: z.number().int() });

const written = z.object({ id: z.string().min(1), email_address: z.string() }).passthrough();
const batchAnswer = z.object({
  new_members: z.array(written).default([]),
  updated_members: z.array(written).default([]),
  errors: z.array(z.object({ email_address: z.string().optional(), error: z.string().optional(), error_code: z.string().optional(), field: z.string().optional(), field_message: z.string().optional() }).passthrough()).default([]),
});

/** A merge field type (https://mailchimp.com/developer/marketing/docs/merge-fields/) as the closest model type. */
function fieldType(type: string): FieldType | 'unknown' {
  switch (type) {
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'dropdown':
    case 'radio':
      return 'enum';
    case 'text':
    case 'phone':
    case 'url':
    case 'imageurl':
    case 'zip':
    case 'birthday':
      return 'string';
    default:
      // address is an object of addr1, city, state, zip, country: passed through as mapped.
      return 'unknown';
  }
}

async function mergeFields(client: ProviderClient, listId: string): Promise<PushField[]> {
  const fields: PushField[] = [];
  for (let offset = 0; ; offset += MERGE_FIELDS_PAGE) {
    const query = new URLSearchParams({ count: String(MERGE_FIELDS_PAGE), offset: String(offset) });
    const page = mergeFieldsPage.parse(await mailchimp(client, `/lists/${encodeURIComponent(listId)}/merge-fields?${query}`));
    for (const field of page.merge_fields) {
      if (field.tag === EMAIL_FIELD) continue;
      const type = fieldType(field.type);
      const choices = field.options?.choices;
      fields.push({ name: field.tag, label: field.name || field.tag, type, ...(field.required ? { required: true } : {}), ...(type === 'enum' && choices ? { values: choices } : {}) });
    }
    if (page.merge_fields.length === 0 || offset + page.merge_fields.length >= page.total_items) return fields;
  }
}

const keyOf = (email: string) => email.trim().toLowerCase();

/** The member as the batch endpoint takes it: email, status for a new member, merge fields. */
function memberOf(record: PushRecord): Record<string, unknown> {
  const mergeValues: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record.fields)) {
    if (name === EMAIL_FIELD || value === undefined) continue;
    // Mailchimp clears a merge field with an empty string; null is refused.
    mergeValues[name] = value === null ? '' : value;
  }
  return { email_address: record.key, status_if_new: 'subscribed', merge_fields: mergeValues };
}

export async function upsertMembers(client: ProviderClient, target: PushTargetRef, records: PushRecord[]): Promise<PushOutcome[]> {
  if (records.length === 0) return [];
  const answer = batchAnswer.parse(
    await mailchimp(client, `/lists/${encodeURIComponent(target.id)}`, { method: 'POST', json: { members: records.map(memberOf), update_existing: true } }),
  );
  const done = new Map<string, string>();
  for (const member of [...answer.new_members, ...answer.updated_members]) done.set(keyOf(member.email_address), member.id);
  const refused = new Map<string, string>();
  for (const error of answer.errors) {
    if (!error.email_address) continue;
    const reason = [error.error ?? error.error_code ?? 'refused by Mailchimp', error.field && error.field_message ? `(${error.field}: ${error.field_message})` : '']
      .filter(Boolean)
      .join(' ');
    refused.set(keyOf(error.email_address), reason);
  }
  return records.map((record): PushOutcome => {
    const key = keyOf(record.key);
    const id = done.get(key);
    if (id) return { key: record.key, ok: true, externalId: id };
    return { key: record.key, ok: false, error: refused.get(key) ?? 'Mailchimp reported neither a write nor an error for this member.' };
  });
}

async function removeOne(client: ProviderClient, listId: string, removal: PushRemoval, policy: 'archive' | 'delete'): Promise<PushOutcome> {
  const hash = removal.externalId && /^[0-9a-f]{32}$/.test(removal.externalId) ? removal.externalId : subscriberHash(removal.key);
  const member = `/lists/${encodeURIComponent(listId)}/members/${hash}`;
  try {
    if (policy === 'archive') await mailchimp(client, member, { method: 'DELETE' });
    else await mailchimp(client, `${member}/actions/delete-permanent`, { method: 'POST' });
    return { key: removal.key, ok: true, externalId: hash };
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) return { key: removal.key, ok: true, externalId: hash };
    // A refusal about this member (400, 403) is its own; anything else fails the whole batch (retried).
    if (error instanceof ProviderHttpError && (error.status === 400 || error.status === 403)) return { key: removal.key, ok: false, error: error.providerMessage };
    throw error;
  }
}

export async function removeMembers(client: ProviderClient, target: PushTargetRef, removals: PushRemoval[], policy: 'archive' | 'delete'): Promise<PushOutcome[]> {
  const outcomes: PushOutcome[] = new Array(removals.length);
  let next = 0;
  const worker = async () => {
    while (next < removals.length) {
      const index = next++;
      outcomes[index] = await removeOne(client, target.id, removals[index], policy);
    }
  };
  await Promise.all(Array.from({ length: Math.min(REMOVE_CONCURRENCY, removals.length) }, worker));
  return outcomes;
}

export const audienceMembers: PushDestination = {
  id: 'members',
  label: 'Audience members',
  models: ['Contact'],
  matchKey: { kind: 'fixed', field: EMAIL_FIELD },
  deletionPolicies: ['archive', 'delete'],
  batchSize: BATCH_SIZE,
  rateLimit: { requestsPerSecond: REQUESTS_PER_SECOND },
  async targets(client) {
    return (await listAudiences(client)).map((audience) => ({ id: audience.id, label: audience.name }));
  },
  async fields(client, targetId) {
    return [{ name: EMAIL_FIELD, label: 'Email address', type: 'email', required: true, matchable: true }, ...(await mergeFields(client, targetId))];
  },
  upsert: upsertMembers,
  remove: removeMembers,
};
