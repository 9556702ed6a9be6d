// Which providers post to /api/webhooks/<provider> (those whose definition declares webhooks), and
// how each delivery turns back into ParsedDelivery values, both when it arrives and when
// processing reads the stored payload. Everything provider-specific comes from the definition.
import { findProvider } from '../providers/registry';
import type { ProviderDefinition, ProviderWebhooks } from '../providers/types';
import { parseStandardDelivery, STANDARD_WEBHOOKS_LABEL, STANDARD_WEBHOOKS_SCHEME } from './standard';
import type { ParsedDelivery } from './types';

export interface WebhookProvider {
  definition: ProviderDefinition;
  webhooks: ProviderWebhooks;
}

/** A provider whose definition declares webhooks. */
export function webhookProvider(providerId: string): WebhookProvider | null {
  const definition = findProvider(providerId);
  return definition?.webhooks ? { definition, webhooks: definition.webhooks } : null;
}

/**
 * What the stored payload of one event means. Generic deliveries (Standard Webhooks) need the
 * connection's resources; the provider's own deliveries are re-read by the provider.
 */
export function reparseStoredEvent(
  row: { provider: string; scheme: string | null; payload: unknown; eventId: string | null },
  resources: readonly string[],
): ParsedDelivery {
  if (row.scheme === STANDARD_WEBHOOKS_SCHEME) return parseStandardDelivery(row.payload, row.eventId ?? '', resources);
  const provider = webhookProvider(row.provider);
  if (!provider) throw new Error(`${row.provider} has no webhook parser`);
  const { webhooks } = provider;
  const [delivery] = webhooks.reparse ? webhooks.reparse(row.payload) : webhooks.parse({ body: row.payload, headers: new Headers() });
  if (!delivery) throw new Error('the stored payload holds no event');
  return delivery;
}

/** A delivery's events paired with the part of the body each came from (see reparseStoredEvent). */
export function payloadsOf(webhooks: ProviderWebhooks, body: unknown, deliveries: ParsedDelivery[]): unknown[] {
  return webhooks.payloadsOf ? webhooks.payloadsOf(body, deliveries) : deliveries.map(() => body);
}

/** How screens name a stored delivery's verification scheme. */
export function schemeLabel(providerId: string, scheme: string | null): string | null {
  if (!scheme) return null;
  if (scheme === STANDARD_WEBHOOKS_SCHEME) return STANDARD_WEBHOOKS_LABEL;
  const webhooks = findProvider(providerId)?.webhooks;
  return webhooks?.scheme === scheme ? webhooks.schemeLabel : scheme;
}
