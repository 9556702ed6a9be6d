// Deliveries to a connection's generic endpoint, signed with the Standard Webhooks scheme
// (standardwebhooks.com): any tool that can post a webhook can tell us "something changed".
// The payload is the sender's own; we read only what the spec recommends (`type`, `timestamp`)
// and never store a record from it. A `type` whose first segment names one of the connection's
// resources (`contacts.updated`) syncs that resource; anything else syncs the whole connection.
import { z } from 'zod';
import type { ParsedDelivery } from './types';

const standardPayload = z.looseObject({
  type: z.string().min(1).max(200).optional(),
  timestamp: z.string().max(64).optional(),
});

export function parseStandardDelivery(body: unknown, webhookId: string, resources: readonly string[]): ParsedDelivery {
  const parsed = standardPayload.safeParse(body);
  const payload = parsed.success ? parsed.data : {};
  const eventType = payload.type ?? 'webhook';
  const prefix = eventType.split(/[.:/]/)[0];
  const occurred = payload.timestamp ? Date.parse(payload.timestamp) : NaN;
  return {
    eventId: webhookId,
    eventType,
    accountId: '',
    // Null here means every resource of the connection (see process.ts), not "nothing we sync".
    resource: resources.includes(prefix) ? prefix : null,
    change: { kind: 'sync' },
    occurredAt: Number.isNaN(occurred) ? null : new Date(occurred).toISOString(),
  };
}
