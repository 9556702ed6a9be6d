// Which providers post to /api/webhooks/<provider>, and how each delivery turns back into
// ParsedDelivery values, both when it arrives and when processing reads the stored payload.
import { parseDeliveries as parseGoogle } from '../providers/google-calendar/webhooks';
import { parseDeliveries as parseHubspot } from '../providers/hubspot/webhooks';
import { findProvider } from '../providers/registry';
import { parseDeliveries as parseSquare } from '../providers/square/webhooks';
import type { ProviderDefinition } from '../providers/types';
import { parseStandardDelivery } from './standard';
import type { DeliveryParser, ParsedDelivery } from './types';

const PARSERS: Record<string, DeliveryParser> = {
  hubspot: parseHubspot,
  square: parseSquare,
  'google-calendar': parseGoogle,
};

export const STANDARD_WEBHOOKS_SCHEME = 'standard-webhooks';

export interface WebhookProvider {
  definition: ProviderDefinition;
  parse: DeliveryParser;
}

/** A provider whose definition declares a webhook scheme and that has a parser here. */
export function webhookProvider(providerId: string): WebhookProvider | null {
  const definition = findProvider(providerId);
  const parse = PARSERS[providerId];
  if (!definition || !parse || definition.webhooks.scheme === 'none') return null;
  return { definition, parse };
}

/**
 * What the stored payload of one event means. HubSpot events are stored one per row (a delivery
 * batches them), so a row's payload is re-read as a batch of one; Google's payload is the push
 * headers; generic deliveries need the connection's resources.
 */
export function reparseStoredEvent(
  row: { provider: string; scheme: string | null; payload: unknown; eventId: string | null },
  resources: readonly string[],
): ParsedDelivery {
  if (row.scheme === STANDARD_WEBHOOKS_SCHEME) return parseStandardDelivery(row.payload, row.eventId ?? '', resources);
  const provider = webhookProvider(row.provider);
  if (!provider) throw new Error(`${row.provider} has no webhook parser`);
  const body = row.provider === 'hubspot' ? [row.payload] : row.payload;
  const headers = row.provider === 'google-calendar' ? new Headers(row.payload as Record<string, string>) : new Headers();
  const [delivery] = provider.parse({ body, headers });
  if (!delivery) throw new Error('the stored payload holds no event');
  return delivery;
}

/** A delivery's events paired with the part of the body each came from (see reparseStoredEvent). */
export function payloadsOf(providerId: string, body: unknown, deliveries: ParsedDelivery[]): unknown[] {
  if (providerId === 'hubspot' && Array.isArray(body)) return deliveries.map((_, index) => body[index]);
  return deliveries.map(() => body);
}
