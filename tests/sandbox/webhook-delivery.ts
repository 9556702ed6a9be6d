// Sending webhook deliveries to the app, as every provider's sandbox does: post, repeat (a provider
// retrying), tamper (break the body or the signature after signing), and the fields every
// control-API delivery request shares.
import { z } from 'zod';

export interface Answer {
  status: number;
  body: unknown;
}

/** One delivery as the provider would send it: signed headers and the exact body bytes. */
export interface SignedDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The header carrying the signature (or the shared token), which tamper 'signature' breaks. */
  signatureHeader: string;
  /** A shared secret the body carries instead (Graph's clientState): tamper 'signature' breaks it there. */
  secretInBody?: string;
  /** The URL query parameter carrying the shared secret instead (a sender that signs nothing): tamper 'signature' breaks it there. */
  secretInQuery?: string;
}

export type Tamper = 'body' | 'signature';

/** The mutation a delivery may make at the provider first, as POST /_sandbox/data takes it. */
export const deliveryMutation = z.object({
  create: z.number().int().min(0).max(1000).optional(),
  update: z.union([z.number().int().min(0).max(1000), z.array(z.string()).max(1000)]).optional(),
  delete: z.union([z.number().int().min(0).max(1000), z.array(z.string()).max(1000)]).optional(),
});

/** Fields of every POST /_sandbox/webhooks/deliver request. */
export const deliveryCommon = {
  account: z.string().optional(),
  /** Sends the same delivery this many times (a provider retrying); signed afresh each time. */
  repeat: z.number().int().min(1).max(1000).default(1),
  /** Breaks the delivery after signing it. */
  tamper: z.enum(['body', 'signature']).optional(),
  /** Signs with this secret instead of the provider's. */
  secret: z.string().min(1).optional(),
  /** Moves the signed timestamp (where the scheme signs one) into the past or future. */
  timestampOffsetMs: z.number().int().optional(),
};

/** The delivery broken after signing: a body one byte longer, or one signature character changed. */
export function tamperDelivery(delivery: SignedDelivery, tamper: Tamper | undefined): SignedDelivery {
  if (tamper === 'body') return { ...delivery, body: `${delivery.body} ` };
  if (tamper !== 'signature') return delivery;
  if (delivery.secretInQuery) {
    const url = new URL(delivery.url);
    const secret = url.searchParams.get(delivery.secretInQuery) ?? '';
    url.searchParams.set(delivery.secretInQuery, secret.replace(/[A-Za-z0-9]/, (c) => (c === 'A' ? 'B' : 'A')));
    return { ...delivery, url: url.toString() };
  }
  if (delivery.secretInBody) {
    const secret = delivery.secretInBody;
    const changed = secret.replace(/[A-Za-z0-9]/, (c) => (c === 'A' ? 'B' : 'A'));
    return { ...delivery, body: delivery.body.split(JSON.stringify(secret)).join(JSON.stringify(changed)) };
  }
  const headers = { ...delivery.headers };
  const value = headers[delivery.signatureHeader] ?? '';
  // Flip one base64 character near the start, keeping the header well-formed.
  headers[delivery.signatureHeader] = value.replace(/[A-Za-z0-9](?=[^,]*$)/, (c) => (c === 'A' ? 'B' : 'A'));
  return { ...delivery, headers };
}

export async function repeat(times: number, send: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < times; i++) answers.push(await send());
  return answers;
}

/** Posts a JSON delivery (tampered if asked) and answers with what the app answered. */
export function send(delivery: SignedDelivery, tamper?: Tamper): Promise<Answer> {
  const sent = tamperDelivery(delivery, tamper);
  return post(sent.url, { 'content-type': 'application/json', ...sent.headers }, sent.body);
}

export async function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed };
}
