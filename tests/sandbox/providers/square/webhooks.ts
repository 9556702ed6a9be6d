// Square's webhook deliveries: one event notification per changed customer, signed with the
// subscription's signature key (HMAC-SHA256 over the notification URL, then the body).
import crypto from 'node:crypto';
import { z } from 'zod';
import { DataControlError, getDataset } from '../../data';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import { hmacSha256, type Bytes } from '../../webhook-signing';
import { deliveryCommon, deliveryMutation, repeat, send, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { PROFILE, type SquareAccount } from './accounts';
import { renderCustomer, squareDataSpecs } from './data';

/** The signature key of the sandbox's Square webhook subscription (lib/webhooks/app-secrets.ts has the same). */
export const SANDBOX_SQUARE_SIGNATURE_KEY = 'sandbox-square-webhook-signature-key';
const SIGNATURE_HEADER = 'x-square-hmacsha256-signature';

/** Square's signature header: base64 HMAC-SHA256 over the subscription's notification URL then the body. */
export function signSquare(options: { notificationUrl: string; body: Bytes; signatureKey: string }): Record<string, string> {
  return {
    'x-square-hmacsha256-signature': hmacSha256(options.signatureKey, options.notificationUrl, options.body).toString('base64'),
  };
}

export type SquareEventType = 'customer.created' | 'customer.updated' | 'customer.deleted' | 'booking.created' | 'booking.updated';

/** A Square event notification body for a customer or booking, shaped like Square's reference examples. */
export function squareEvent(options: {
  merchantId: string;
  type: SquareEventType;
  /** The customer or booking as the Customers or Bookings API returns it. */
  object: { id: string; version?: number } & Record<string, unknown>;
  eventId?: string;
  createdAt?: Date | string;
  locationId?: string;
}): Record<string, unknown> {
  const kind = options.type.startsWith('booking.') ? 'booking' : 'customer';
  const createdAt = options.createdAt ?? new Date();
  return {
    merchant_id: options.merchantId,
    ...(options.locationId ? { location_id: options.locationId } : {}),
    type: options.type,
    event_id: options.eventId ?? crypto.randomUUID(),
    created_at: createdAt instanceof Date ? createdAt.toISOString() : createdAt,
    data: {
      type: kind,
      // Square identifies booking events by booking id and version, customers by customer id.
      id: kind === 'booking' ? `${options.object.id}:${options.object.version ?? 0}` : options.object.id,
      ...(options.type === 'customer.deleted' ? { deleted: true } : {}),
      object: { [kind]: options.object },
    },
  };
}

function signed(url: string, body: string, secret?: string): SignedDelivery {
  return { url, headers: signSquare({ notificationUrl: url, body, signatureKey: secret ?? SANDBOX_SQUARE_SIGNATURE_KEY }), body, signatureHeader: SIGNATURE_HEADER };
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url(),
  ...deliveryCommon,
  mutate: deliveryMutation.optional(),
});

export const webhooks: SandboxWebhooks<SquareAccount> = {
  signatureHeader: SIGNATURE_HEADER,
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const dataset = getDataset(state, squareDataSpecs.customers, account.id);
    const event = squareEvent({ merchantId: account.merchantId, type: 'customer.updated', object: renderCustomer(dataset, 0) });
    return signed(url, JSON.stringify(event), secret);
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = PROFILE.accounts.find((a) => a.id === (request.account ?? PROFILE.accounts[0].id));
    if (!account) throw new DataControlError(`No square sandbox account ${request.account}`);
    const changed = mutate({ provider: PROFILE.id, account: account.id, resource: 'customers', ...(request.mutate ?? {}) });
    const dataset = getDataset(state, squareDataSpecs.customers, account.id);
    // As the Customers API renders it, so a delivered record and a listed one hash alike.
    const customer = (id: string) => renderCustomer(dataset, dataset.indexOf(id) as number);
    const events = [
      ...changed.created.map((id) => squareEvent({ merchantId: account.merchantId, type: 'customer.created', object: customer(id) })),
      ...changed.updated.map((id) => squareEvent({ merchantId: account.merchantId, type: 'customer.updated', object: customer(id) })),
      ...changed.deleted.map((id) => squareEvent({ merchantId: account.merchantId, type: 'customer.deleted', object: customer(id) })),
    ];
    const deliveries: Answer[] = [];
    for (const event of events) {
      const body = JSON.stringify(event);
      deliveries.push(...(await repeat(request.repeat, () => send(signed(request.url, body, request.secret), request.tamper))));
    }
    return { deliveries, mutation: changed, body: events };
  }),
};
