// Airtable Web API (https://airtable.com/developers/web/api/introduction): the shapes this folder
// reads and the one helper that calls it.
//  - Meta API: GET /v0/meta/whoami (the token's user, its scopes) ✔; GET /v0/meta/bases (bases
//    the token can see, paged by `offset`) ✔ https://airtable.com/developers/web/api/list-bases;
//    GET /v0/meta/bases/{baseId}/tables (tables with field schemas) ✔
//    https://airtable.com/developers/web/api/get-base-schema.
//  - Records: GET /v0/{baseId}/{tableId}?pageSize=≤100&offset= ✔
//    https://airtable.com/developers/web/api/list-records.
//  - Rate limit: 5 requests per second per base; past it a 429, and "you will need to wait 30
//    seconds before subsequent requests will succeed" ✔
//    https://airtable.com/developers/web/api/webhooks-overview ("Rate limits"). Airtable sends no
//    Retry-After, so a 429 here carries 30 s for the engine to honour.
//  - Errors: { error: { type, message } } or { error: "NOT_FOUND" } ~
//    https://support.airtable.com/docs/airtable-api-common-troubleshooting.
import { z } from 'zod';
import { ProviderHttpError } from '../errors';
import type { ProviderClient, RequestOptions } from '../types';

export const API = 'https://api.airtable.com/v0';
export const AUTH = 'https://airtable.com/oauth2/v1';
/** Records per list page: Airtable's maximum ✔ (list-records, pageSize). */
export const PAGE_SIZE = 100;
/** Seconds to wait after a 429 ✔ (webhooks-overview, "Rate limits"). */
export const RATE_LIMIT_WAIT_SECONDS = 30;
/** Requests per second per base ✔. */
export const REQUESTS_PER_SECOND = 5;

export async function airtable<T = unknown>(client: ProviderClient, path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return (await client.request<T>(`${API}${path}`, options)).body;
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 429 && error.retryAfterSeconds === undefined) {
      throw new ProviderHttpError(429, error.providerMessage, RATE_LIMIT_WAIT_SECONDS, error.headers);
    }
    throw error;
  }
}

const whoami = z.object({ id: z.string().min(1), email: z.string().optional(), scopes: z.array(z.string()).optional() }).passthrough();
export type AirtableUser = z.infer<typeof whoami>;

export async function currentUser(client: ProviderClient): Promise<AirtableUser> {
  return whoami.parse(await airtable(client, '/meta/whoami'));
}

const baseList = z.object({
  bases: z.array(z.object({ id: z.string().min(1), name: z.string(), permissionLevel: z.string().optional() }).passthrough()),
  offset: z.string().optional(),
});
export type AirtableBase = z.infer<typeof baseList>['bases'][number];

/** Every base the token can see (all pages). */
export async function listBases(client: ProviderClient): Promise<AirtableBase[]> {
  const bases: AirtableBase[] = [];
  let offset: string | undefined;
  do {
    const page = baseList.parse(await airtable(client, `/meta/bases${offset ? `?offset=${encodeURIComponent(offset)}` : ''}`));
    bases.push(...page.bases);
    offset = page.offset;
  } while (offset);
  return bases;
}

export const fieldSchema = z
  .object({ id: z.string().min(1), name: z.string(), type: z.string(), options: z.record(z.string(), z.unknown()).optional() })
  .passthrough();
export type AirtableField = z.infer<typeof fieldSchema>;
const tableList = z.object({
  tables: z.array(z.object({ id: z.string().min(1), name: z.string(), primaryFieldId: z.string().optional(), fields: z.array(fieldSchema) }).passthrough()),
});
export type AirtableTable = z.infer<typeof tableList>['tables'][number];

export async function listTables(client: ProviderClient, baseId: string): Promise<AirtableTable[]> {
  return tableList.parse(await airtable(client, `/meta/bases/${encodeURIComponent(baseId)}/tables`)).tables;
}

export const recordSchema = z.object({ id: z.string().min(1), createdTime: z.string().optional(), fields: z.record(z.string(), z.unknown()) }).passthrough();
export type AirtableRecord = z.infer<typeof recordSchema>;
export const recordPage = z.object({ records: z.array(recordSchema), offset: z.string().optional() });

const errorBody = z.union([
  z.object({ error: z.object({ type: z.string().optional(), message: z.string().optional() }).passthrough() }),
  z.object({ error: z.string().min(1), message: z.string().optional() }),
  z.object({ errors: z.array(z.object({ error: z.string().optional(), message: z.string().optional() }).passthrough()).min(1) }),
]);

export function describeAirtableError(body: unknown): string | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const data = parsed.data;
  if ('errors' in data) return [data.errors[0].error, data.errors[0].message].filter(Boolean).join(': ') || undefined;
  if (typeof data.error === 'string') return [data.error, 'message' in data ? data.message : undefined].filter(Boolean).join(': ');
  return [data.error.type, data.error.message].filter(Boolean).join(': ') || undefined;
}
