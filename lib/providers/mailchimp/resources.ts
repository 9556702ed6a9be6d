// Mailchimp audiences (lists) and their members. Every collection pages with `count` and `offset`
// and answers `total_items` (https://mailchimp.com/developer/marketing/docs/methods-parameters/#pagination);
// members take at most count=1000 per page and filter by `since_last_changed` ("subscribers whose
// information changed after the set timeframe", ISO 8601) — both in the official SDK's request type
// (the official SDK repository mailchimp/mailchimp-marketing-typescript-sdk, src/api/resources/lists/client/requests/
// ListMembersListsRequest.ts). The members resource walks every audience the account has, as the
// Google Calendar events resource walks every calendar: a member id (the subscriber hash) is unique
// per audience only, so records are keyed "<list id>/<member id>".
//
// Deletions. Archiving a member (DELETE …/members/{hash}) keeps it listed with status "archived"
// and moves its last_changed, so an incremental listing sees it as a status change (the record stays,
// its mapping says the contact left); a permanent deletion makes it vanish (found by the next full
// listing's absence).
//
// Incremental cursor: per audience, the time the previous listing started, less a second (Mailchimp
// stamps last_changed to the second, so a change in the same second as the cursor would otherwise
// be missed); re-listing an unchanged member costs nothing, the sync's content hash skips it.
import { z } from 'zod';
import type { FetchedRecord, PageRequest, PageResult, ProviderClient, SyncResource } from '../types';
import { mailchimp } from './api';

export const MEMBERS_PAGE_SIZE = 1000;
const LISTS_PAGE_SIZE = 1000;
const OVERLAP_MS = 1000;

const audienceSchema = z.object({ id: z.string().min(1), name: z.string() }).passthrough();
const listsPage = z.object({ lists: z.array(audienceSchema), total_items: z.number().int() });
const memberSchema = z.object({ id: z.string().min(1), email_address: z.string(), status: z.string().optional(), list_id: z.string().optional() }).passthrough();
const membersPage = z.object({ members: z.array(memberSchema), total_items: z.number().int() });

export interface Audience {
  id: string;
  name: string;
}

/** Every audience of the account. */
export async function listAudiences(client: ProviderClient): Promise<Audience[]> {
  const audiences: Audience[] = [];
  for (let offset = 0; ; offset += LISTS_PAGE_SIZE) {
    const query = new URLSearchParams({ count: String(LISTS_PAGE_SIZE), offset: String(offset), fields: 'lists.id,lists.name,total_items' });
    const page = listsPage.parse(await mailchimp(client, `/lists?${query}`));
    audiences.push(...page.lists.map((list) => ({ id: list.id, name: list.name })));
    if (page.lists.length === 0 || offset + page.lists.length >= page.total_items) return audiences;
  }
}

const cursorSchema = z.object({ since: z.record(z.string(), z.string()) });
const pageState = z.object({
  lists: z.array(z.string()),
  index: z.number().int().min(0),
  offset: z.number().int().min(0),
  startedAt: z.string(),
});

/** Mailchimp's timestamp format, to the second: 2015-10-21T15:41:36+00:00. */
const mailchimpTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');

export const members: SyncResource = {
  id: 'members',
  label: 'Audience members',
  async fetchPage(client, request: PageRequest): Promise<PageResult> {
    const previous = request.listing === 'incremental' ? cursorSchema.parse(request.cursor).since : {};
    const state = request.page
      ? pageState.parse(request.page)
      : { lists: (await listAudiences(client)).map((list) => list.id), index: 0, offset: 0, startedAt: request.now.toISOString() };
    const since = mailchimpTime(Date.parse(state.startedAt) - OVERLAP_MS);
    const listId = state.lists[state.index];
    if (listId === undefined) return { records: [], next: null, cursor: { since: Object.fromEntries(state.lists.map((id) => [id, since])) } };

    // Each member's _links (a dozen hypermedia links) would be stored with every record for nothing.
    const query = new URLSearchParams({ count: String(MEMBERS_PAGE_SIZE), offset: String(state.offset), exclude_fields: 'members._links,_links' });
    const changedSince = previous[listId];
    if (changedSince) query.set('since_last_changed', changedSince);
    const page = membersPage.parse(await mailchimp(client, `/lists/${encodeURIComponent(listId)}/members?${query}`));
    const records: FetchedRecord[] = page.members.map((member) => ({
      externalId: `${listId}/${member.id}`,
      data: { ...member, list_id: member.list_id ?? listId },
    }));
    const offset = state.offset + page.members.length;
    if (page.members.length > 0 && offset < page.total_items) return { records, next: { ...state, offset } };
    const next = { ...state, index: state.index + 1, offset: 0 };
    if (next.index < state.lists.length) return { records, next };
    return { records, next: null, cursor: { since: Object.fromEntries(state.lists.map((id) => [id, since])) } };
  },
};
