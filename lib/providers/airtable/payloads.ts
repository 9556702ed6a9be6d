// Airtable webhooks as the sync reads them: the base's webhooks (GET /v0/bases/{baseId}/webhooks,
// with each one's cursorForNextPayload ✔) and their change payloads (GET …/webhooks/{id}/payloads
// ?cursor=&limit=≤50 → { payloads, cursor, mightHaveMore } ✔
// https://airtable.com/developers/web/api/list-webhook-payloads). Listing payloads also extends
// the webhook's life by 7 days ✔. Payloads are kept a week; the cursor never resets ✔.
// A payload names changed records per table: changedTablesById[tbl].createdRecordsById,
// .changedRecordsById, .destroyedRecordIds ✔ https://airtable.com/developers/web/api/model/webhooks-table-changed.
import { z } from 'zod';
import type { ProviderClient } from '../types';
import { airtable } from './api';

/** The path of our webhook endpoint: a webhook whose notificationUrl ends here is the hub's. */
export const OUR_WEBHOOK_PATH = '/api/webhooks/airtable';
/** The most payloads one request may list ✔. */
const PAYLOAD_LIMIT = 50;

const webhookList = z.object({
  webhooks: z.array(
    z
      .object({
        id: z.string().min(1),
        notificationUrl: z.string().nullable().optional(),
        cursorForNextPayload: z.number().int().min(1),
        isHookEnabled: z.boolean().optional(),
        expirationTime: z.string().nullable().optional(),
      })
      .passthrough(),
  ),
});
export type AirtableWebhook = z.infer<typeof webhookList>['webhooks'][number];

function isOurs(webhook: AirtableWebhook): boolean {
  if (!webhook.notificationUrl || webhook.isHookEnabled === false) return false;
  try {
    return new URL(webhook.notificationUrl).pathname === OUR_WEBHOOK_PATH;
  } catch {
    return false;
  }
}

/** The base's enabled webhooks that post to the hub (an OAuth integration sees only its own ✔). */
export async function ourWebhooks(client: ProviderClient, baseId: string): Promise<AirtableWebhook[]> {
  const body = webhookList.parse(await airtable(client, `/bases/${encodeURIComponent(baseId)}/webhooks`));
  return body.webhooks.filter(isOurs);
}

const recordMap = z.record(z.string(), z.unknown());
const tableChanges = z
  .object({
    createdRecordsById: recordMap.optional(),
    changedRecordsById: recordMap.optional(),
    destroyedRecordIds: z.array(z.string()).optional(),
  })
  .passthrough();
const payloadList = z.object({
  cursor: z.number().int().min(1),
  mightHaveMore: z.boolean(),
  payloads: z.array(
    z
      .object({
        changedTablesById: z.record(z.string(), tableChanges).optional(),
        createdTablesById: z.record(z.string(), tableChanges).optional(),
      })
      .passthrough(),
  ),
});

/** What a run of payloads changed, per table: records to read again, and records gone. */
export interface BaseChanges {
  touched: Map<string, Set<string>>;
  destroyed: Map<string, Set<string>>;
  cursor: number;
}

const add = (map: Map<string, Set<string>>, table: string, ids: Iterable<string>) => {
  const set = map.get(table) ?? new Set<string>();
  for (const id of ids) set.add(id);
  map.set(table, set);
};

/** Reads every payload from `cursor` on (following mightHaveMore) and folds them into changes. */
export async function readChanges(client: ProviderClient, baseId: string, webhookId: string, cursor: number): Promise<BaseChanges> {
  const changes: BaseChanges = { touched: new Map(), destroyed: new Map(), cursor };
  for (;;) {
    const query = new URLSearchParams({ cursor: String(changes.cursor), limit: String(PAYLOAD_LIMIT) });
    const page = payloadList.parse(
      await airtable(client, `/bases/${encodeURIComponent(baseId)}/webhooks/${encodeURIComponent(webhookId)}/payloads?${query}`),
    );
    for (const payload of page.payloads) {
      for (const tables of [payload.createdTablesById, payload.changedTablesById]) {
        for (const [tableId, change] of Object.entries(tables ?? {})) {
          add(changes.touched, tableId, [...Object.keys(change.createdRecordsById ?? {}), ...Object.keys(change.changedRecordsById ?? {})]);
          add(changes.destroyed, tableId, change.destroyedRecordIds ?? []);
        }
      }
    }
    changes.cursor = page.cursor;
    if (!page.mightHaveMore || page.payloads.length === 0) return changes;
  }
}
