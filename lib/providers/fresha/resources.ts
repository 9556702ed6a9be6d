// Fresha clients and appointments (partner API, unverified). Cursor paging with page[after];
// incremental listings pass updated_since and receive deleted records with deleted_at set.
import { z } from 'zod';
import type { PageRequest, PageResult, SyncResource } from '../types';

export const API = 'https://api.fresha.com/v2';
const PAGE_SIZE = 100;
const CLOCK_SKEW_MS = 60_000;

/** One client or appointment as the API shows it: what fetchPage stores, and what actions write through. */
export const freshaItem = z.object({ id: z.string(), attributes: z.object({ deleted_at: z.string().nullable().optional() }).passthrough() }).passthrough();
export type FreshaItem = z.infer<typeof freshaItem>;

const listResponse = z.object({
  data: z.array(freshaItem),
  meta: z.object({ next_cursor: z.string().nullable().optional() }).optional(),
});
const pageState = z.object({ after: z.string().optional(), startedAt: z.number() });
const cursorSchema = z.object({ since: z.number() });

function freshaResource(id: 'clients' | 'appointments', label: string): SyncResource {
  return {
    id,
    label,
    // `<resource>:read` per the product spec's partner contract; Fresha documents no scopes
    // publicly, so like the rest of this provider they are unverified.
    requiredScopes: [`${id}:read`],
    async fetchPage(client, request: PageRequest): Promise<PageResult> {
      const state = request.page ? pageState.parse(request.page) : { startedAt: request.now.getTime() };
      const query = new URLSearchParams({ 'page[size]': String(PAGE_SIZE) });
      if (state.after) query.set('page[after]', state.after);
      if (request.listing === 'incremental') query.set('updated_since', new Date(cursorSchema.parse(request.cursor).since).toISOString());
      const { body } = await client.request(`${API}/${id}?${query}`);
      const page = listResponse.parse(body);
      const records = page.data.map((item) => ({ externalId: item.id, data: item, deleted: Boolean(item.attributes.deleted_at) }));
      const after = page.meta?.next_cursor;
      if (after) return { records, next: { ...state, after } };
      return { records, next: null, cursor: { since: state.startedAt - CLOCK_SKEW_MS } };
    },
  };
}

export const freshaResources = [freshaResource('clients', 'Clients'), freshaResource('appointments', 'Appointments')];
