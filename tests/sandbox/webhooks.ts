// Webhooks in the sandbox: the control API that makes a provider send a delivery. POST
// /_sandbox/webhooks/deliver { provider, ... } changes the provider's data (or takes the events as
// given), signs the delivery exactly as that provider signs it and posts it to the app, answering
// with what the app answered; each provider's registration brings its request schema and sender.
// provider 'standard-webhooks' signs any payload with the Standard Webhooks scheme, which is no one
// provider's. GET /_sandbox/webhooks/<name> serves the read-outs providers register (push channels).
import crypto from 'node:crypto';
import { z } from 'zod';
import { PROVIDERS } from './accounts';
import { applyMutation, DataControlError, type DataMutation } from './data-control';
import { json, type Reply } from './http';
import type { DeliverKit, DeliverResult, WebhookDeliverer } from './provider';
import type { SandboxState } from './state';
import { deliveryCommon, repeat, send } from './webhook-delivery';
import { signStandardWebhooks } from './webhook-signing';

const STANDARD_WEBHOOKS = 'standard-webhooks';

const standardWebhooksSchema = z.object({
  provider: z.literal(STANDARD_WEBHOOKS),
  url: z.string().url(),
  ...deliveryCommon,
  secret: z.string().min(1),
  id: z.string().min(1).optional(),
  payload: z.unknown(),
});

const standardWebhooks: WebhookDeliverer = {
  schema: standardWebhooksSchema,
  async send(_kit, raw) {
    const request = raw as z.output<typeof standardWebhooksSchema>;
    const body = JSON.stringify(request.payload ?? {});
    const id = request.id ?? `msg_${crypto.randomBytes(12).toString('base64url')}`;
    const deliveries = await repeat(request.repeat, () => {
      const headers = signStandardWebhooks({ id, timestampSeconds: Math.floor((Date.now() + (request.timestampOffsetMs ?? 0)) / 1000), body, secret: request.secret });
      return send({ url: request.url, headers, body, signatureHeader: 'webhook-signature' }, request.tamper);
    });
    return { deliveries, body: request.payload };
  },
};

const DELIVERERS = new Map<string, WebhookDeliverer>([
  ...PROVIDERS.flatMap((provider) => (provider.webhooks?.deliver ? [[provider.id, provider.webhooks.deliver] as const] : [])),
  [STANDARD_WEBHOOKS, standardWebhooks],
]);
const deliverSchema = z.discriminatedUnion(
  'provider',
  [...DELIVERERS.values()].map((deliverer) => deliverer.schema) as unknown as [typeof standardWebhooksSchema, ...(typeof standardWebhooksSchema)[]],
);

const READOUTS = new Map(PROVIDERS.flatMap((provider) => Object.entries(provider.webhooks?.control ?? {})));

export async function webhookControl(state: SandboxState, method: string, name: string, body: Buffer): Promise<Reply> {
  const cors = { 'access-control-allow-origin': '*' };
  const readout = READOUTS.get(name);
  if (method === 'GET' && readout) return json(200, readout(state), cors);
  if (method !== 'POST' || name !== 'deliver') return json(404, { error: 'not_found', message: `No control endpoint ${method} /_sandbox/webhooks/${name}` }, cors);
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return json(400, { error: 'invalid_json', message: 'The delivery request is not valid JSON.' }, cors);
  }
  const request = deliverSchema.safeParse(raw);
  if (!request.success) return json(400, { error: 'invalid_delivery', issues: request.error.issues }, cors);
  try {
    return json(200, await deliver(state, request.data), cors);
  } catch (error) {
    if (error instanceof DataControlError) return json(400, { error: 'invalid_delivery', message: error.message }, cors);
    throw error;
  }
}

function deliver(state: SandboxState, request: { provider: string }): Promise<DeliverResult> {
  // applyMutation validates the request (provider, resource, counts) as POST /_sandbox/data does.
  const kit: DeliverKit = { state, mutate: (input) => applyMutation(state, input as DataMutation) };
  return (DELIVERERS.get(request.provider) as WebhookDeliverer).send(kit, request);
}
