// Salesforce objects by SOQL. Full listings query everything ordered by SystemModstamp and follow
// nextRecordsUrl; incremental listings use queryAll (which includes deleted rows) with
// `SystemModstamp > cursor`. Every literal in the query goes through the SOQL escapers.
import { z } from 'zod';
import type { ProviderClient } from '../client';
import type { PageRequest, PageResult, SyncResource } from '../types';
import { checkedInstanceUrl } from './instance';
import { soqlDateTime, soqlIdentifier } from './soql';

export const API_VERSION = 'v62.0';

/**
 * Salesforce scopes are coarse: `api` (access to the logged-in user's account through the REST and
 * Bulk APIs) is what every SOQL listing needs, whatever the object; `full` would include it but is
 * never requested. Scope values: https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-scope-parameter-values.html
 * and https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_scopes.htm. What the user may
 * see within `api` is the org's sharing and field-level security, not OAuth's business.
 */
export const API_SCOPE = 'api';

/** The Contact fields the contacts listing selects (besides Id, SystemModstamp and IsDeleted). */
export const CONTACT_FIELDS = ['FirstName', 'LastName', 'Email', 'Phone', 'Title', 'AccountId', 'CreatedDate', 'LastModifiedDate'];

/** The fields a listing of these selects, in its order: what every stored record of the resource holds. */
export function listingFields(fields: readonly string[]): string[] {
  return [...new Set(['Id', 'SystemModstamp', 'IsDeleted', ...fields])].map(soqlIdentifier);
}

const queryResponse = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.object({ Id: z.string(), SystemModstamp: z.string(), IsDeleted: z.boolean().optional() }).passthrough()),
});
const pageState = z.object({ nextRecordsUrl: z.string().optional(), newest: z.string().optional() });
const cursorSchema = z.object({ since: z.string() });

/** Salesforce writes `2026-11-01T10:00:00.000+0000`; SOQL wants an ISO literal. */
function toIso(stamp: string): string {
  return new Date(stamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
}

function later(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(toIso(b)) > Date.parse(toIso(a)) ? b : a;
}

export function salesforceObjectResource(options: { id: string; label: string; sobject: string; fields: string[] }): SyncResource {
  const fields = listingFields(options.fields);
  const sobject = soqlIdentifier(options.sobject);

  function firstQueryUrl(instance: string, request: PageRequest): string {
    const since = request.listing === 'incremental' ? cursorSchema.parse(request.cursor).since : null;
    const where = since ? ` WHERE SystemModstamp > ${soqlDateTime(toIso(since))}` : '';
    const soql = `SELECT ${fields.join(', ')} FROM ${sobject}${where} ORDER BY SystemModstamp ASC, Id ASC`;
    // queryAll also returns deleted rows (IsDeleted = true): our tombstones.
    const endpoint = since ? 'queryAll' : 'query';
    return `${instance}/services/data/${API_VERSION}/${endpoint}?q=${encodeURIComponent(soql)}`;
  }

  return {
    id: options.id,
    label: options.label,
    requiredScopes: [API_SCOPE],
    async fetchPage(client: ProviderClient, request: PageRequest): Promise<PageResult> {
      const instance = checkedInstanceUrl(client.tokens.extra?.instanceUrl ?? '', 'live');
      const state = request.page ? pageState.parse(request.page) : {};
      const url = state.nextRecordsUrl ? `${instance}${state.nextRecordsUrl}` : firstQueryUrl(instance, request);
      const { body } = await client.request(url);
      const page = queryResponse.parse(body);
      let newest = state.newest;
      for (const record of page.records) newest = later(newest, record.SystemModstamp);
      const records = page.records.map((record) => ({ externalId: record.Id, data: record, deleted: record.IsDeleted === true }));
      if (!page.done && page.nextRecordsUrl) {
        if (!page.nextRecordsUrl.startsWith('/services/data/')) throw new Error('Salesforce returned an unexpected nextRecordsUrl');
        return { records, next: { nextRecordsUrl: page.nextRecordsUrl, newest } };
      }
      const previous = request.listing === 'incremental' ? cursorSchema.parse(request.cursor).since : undefined;
      const since = newest ?? previous;
      return { records, next: null, ...(since ? { cursor: { since } } : {}) };
    },
  };
}

export const salesforceResources = [
  salesforceObjectResource({
    id: 'contacts',
    label: 'Contacts',
    sobject: 'Contact',
    fields: CONTACT_FIELDS,
  }),
  salesforceObjectResource({
    id: 'opportunities',
    label: 'Opportunities',
    sobject: 'Opportunity',
    fields: ['Name', 'Amount', 'StageName', 'CloseDate', 'Probability', 'AccountId', 'CreatedDate', 'LastModifiedDate'],
  }),
];
