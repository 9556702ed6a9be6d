// HubSpot CRM objects. Full listings page the objects API by `after`; incremental listings use
// the search API on the last-modified property, then the archived listing for deletions. The
// search API stops at 10,000 results: past that we restart the search from the last
// modification time seen, so large change sets keep paging.
import { z } from 'zod';
import { ProviderProtocolError } from '../errors';
import type { ProviderClient } from '../client';
import type { FetchedRecord, PageRequest, PageResult, SyncResource } from '../types';

const API = 'https://api.hubapi.com/crm/v3/objects';
const PAGE_SIZE = 100;
const SEARCH_CAP = 10_000;
/** Our clock and HubSpot's may disagree; re-reading a minute of changes costs only hash checks. */
const CLOCK_SKEW_MS = 60_000;

export const hubspotObject = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
});
const listResponse = z.object({
  results: z.array(hubspotObject),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

export type HubspotObject = z.infer<typeof hubspotObject>;

/**
 * The scope a listing of an object type needs: the objects list, search and archived listings of
 * contacts take crm.objects.contacts.read, of deals crm.objects.deals.read (each endpoint's
 * Requirements in the reference; https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/scopes).
 */
export const readScope = (objectType: 'contacts' | 'deals') => `crm.objects.${objectType}.read`;

/** The contact properties the contacts listing asks for (its modified property, lastmodifieddate, comes on top). */
export const CONTACT_PROPERTIES = ['firstname', 'lastname', 'email', 'phone', 'company', 'jobtitle', 'lifecyclestage'];
export const CONTACT_MODIFIED_PROPERTY = 'lastmodifieddate';

/** The properties a listing of an object asks for: what every stored record of the resource holds. */
export function listingProperties(properties: readonly string[], modifiedProperty: string): string[] {
  return [...properties, modifiedProperty];
}

const pageState = z.object({
  phase: z.enum(['list', 'search', 'archived']),
  after: z.string().optional(),
  since: z.number().optional(),
  /** Offset into the current search (the 10k cap counts from the start of one search). */
  searched: z.number().default(0),
  startedAt: z.number(),
});
type PageState = z.infer<typeof pageState>;
const cursorSchema = z.object({ since: z.number() });

function toRecords(results: z.infer<typeof hubspotObject>[], deleted = false): FetchedRecord[] {
  return results.map((result) => ({ externalId: result.id, data: result, deleted: deleted || result.archived === true }));
}

export function hubspotObjectResource(options: {
  id: string;
  label: string;
  objectType: 'contacts' | 'deals';
  modifiedProperty: string;
  properties: string[];
}): SyncResource {
  const properties = listingProperties(options.properties, options.modifiedProperty);

  async function list(client: ProviderClient, state: PageState, archived: boolean): Promise<{ records: FetchedRecord[]; after?: string }> {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), properties: properties.join(','), archived: String(archived) });
    if (state.after) query.set('after', state.after);
    const { body } = await client.request(`${API}/${options.objectType}?${query}`);
    const parsed = listResponse.parse(body);
    const records = toRecords(
      archived ? parsed.results.filter((r) => !state.since || !r.archivedAt || Date.parse(r.archivedAt) >= state.since) : parsed.results,
      archived,
    );
    return { records, after: parsed.paging?.next?.after };
  }

  async function search(client: ProviderClient, state: PageState): Promise<PageResult & { state?: PageState }> {
    const { body } = await client.request(`${API}/${options.objectType}/search`, {
      method: 'POST',
      json: {
        filterGroups: [{ filters: [{ propertyName: options.modifiedProperty, operator: 'GTE', value: String(state.since) }] }],
        sorts: [{ propertyName: options.modifiedProperty, direction: 'ASCENDING' }],
        properties,
        limit: PAGE_SIZE,
        ...(state.after ? { after: state.after } : {}),
      },
    });
    const parsed = listResponse.parse(body);
    const records = toRecords(parsed.results);
    const searched = state.searched + parsed.results.length;
    const after = parsed.paging?.next?.after;
    if (!after) return { records, next: { ...state, phase: 'archived', after: undefined, searched: 0 } };
    if (searched + PAGE_SIZE <= SEARCH_CAP) return { records, next: { ...state, after, searched } };
    // At the cap: start a new search from the newest modification time in this page.
    const newest = Math.max(...parsed.results.map((r) => Date.parse(r.properties[options.modifiedProperty] ?? '') || 0));
    if (!(newest > (state.since ?? 0))) {
      throw new ProviderProtocolError(`More than ${SEARCH_CAP} HubSpot ${options.objectType} share one modification time`);
    }
    return { records, next: { ...state, since: newest, after: undefined, searched: 0 } };
  }

  return {
    id: options.id,
    label: options.label,
    requiredScopes: [readScope(options.objectType)],
    async fetchPage(client, request: PageRequest): Promise<PageResult> {
      const state: PageState = request.page
        ? pageState.parse(request.page)
        : request.listing === 'full'
          ? { phase: 'list', startedAt: request.now.getTime(), searched: 0 }
          : { phase: 'search', since: cursorSchema.parse(request.cursor).since, startedAt: request.now.getTime(), searched: 0 };
      const cursor = { since: state.startedAt - CLOCK_SKEW_MS };

      if (state.phase === 'list') {
        const { records, after } = await list(client, state, false);
        return after ? { records, next: { ...state, after } } : { records, next: null, cursor };
      }
      if (state.phase === 'search') return search(client, state);
      const { records, after } = await list(client, state, true);
      return after ? { records, next: { ...state, after } } : { records, next: null, cursor };
    },
  };
}

export const hubspotResources = [
  hubspotObjectResource({
    id: 'contacts',
    label: 'Contacts',
    objectType: 'contacts',
    modifiedProperty: CONTACT_MODIFIED_PROPERTY,
    properties: CONTACT_PROPERTIES,
  }),
  hubspotObjectResource({
    id: 'deals',
    label: 'Deals',
    objectType: 'deals',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'],
  }),
];
