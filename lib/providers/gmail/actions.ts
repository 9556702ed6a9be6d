// Gmail actions. The message is built as RFC 5322 MIME by nodemailer's MailComposer (never by
// hand) and sent base64url-encoded as `raw`:
//   messages.send  POST users/me/messages/send { raw, threadId? }
//                  (https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send)
//   messages.draft POST users/me/drafts { message: { raw, threadId? } }
//                  (https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/create)
// A reply (threadId) must carry In-Reply-To and References naming the thread's last message and a
// matching Subject, or Gmail starts a new thread (https://developers.google.com/workspace/gmail/api/guides/threads#adding_drafts_and_messages_to_threads).
// Gmail has no idempotency key: the Message-ID is derived from the Idempotency-Key, so a retry
// first searches for it (`rfc822msgid:`) and answers with the message the first attempt sent.
// What was sent or drafted is fetched as the sync fetches it and written through to the records.
//   messages.get   GET users/me/messages/{id}?format=full
//                  (https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/get)
// The body on demand: the sync stores format=metadata (headers, snippet), so a read fetches the
// full payload and decodes its MIME tree (body.data is base64url, already transfer-decoded by
// Gmail; the charset is the part's Content-Type). text/plain is preferred; an HTML-only message is
// reduced to text by a linear scan (text.ts). The body is returned, never stored: the records keep
// the snippet the sync wrote, so a read changes nothing.
import crypto from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { applyMapping, compileMapping } from '../../mapping/interpreter';
import { Message } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionResult, ProviderActions, ProviderClient } from '../types';
import { GMAIL_API, profileSchema } from './api';
import { defaultMappings } from './mappings';
import { getMessageMetadata, labelNames, messageRecord, metadataMessage } from './resources';
import { bodyText } from './text';

const RESOURCE = 'messages';
const compiled = compileMapping(defaultMappings[RESOURCE]);

type SendInput = ActionInput<'messages.send'>;
type MessageOutput = ActionOutput<'messages.send'>;

const sent = z.object({ id: z.string().min(1), threadId: z.string().min(1) }).passthrough();
const draft = z.object({ id: z.string().min(1), message: sent }).passthrough();
const thread = z.object({ id: z.string(), messages: z.array(metadataMessage).optional() });
const found = z.object({ messages: z.array(z.object({ id: z.string() })).optional() });
const email = z.email();

/** The Message-ID a write with this Idempotency-Key carries, so a retry can find what it sent. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const digest = crypto.createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32);
  return `<ih.${digest}@${domain}>`;
}

const headerOf = (message: z.infer<typeof metadataMessage>, name: string) =>
  message.payload?.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** In-Reply-To, References and the reply's subject from the thread's last message. */
async function replyHeaders(client: ProviderClient, threadId: string) {
  const query = new URLSearchParams({ format: 'metadata' });
  for (const name of ['Message-ID', 'References', 'Subject']) query.append('metadataHeaders', name);
  let body: unknown;
  try {
    ({ body } = await client.request(`${GMAIL_API}/threads/${encodeURIComponent(threadId)}?${query}`));
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) throw new ActionError('not_found', `Gmail has no thread ${threadId}.`);
    throw error;
  }
  const last = thread.parse(body).messages?.at(-1);
  const messageId = last ? headerOf(last, 'Message-ID') : undefined;
  if (!last || !messageId) return { subject: headerOfSubject(last) };
  const references = [...(headerOf(last, 'References') ?? '').split(/\s+/).filter(Boolean), messageId];
  return { inReplyTo: messageId, references, subject: headerOfSubject(last) };
}

const headerOfSubject = (message: z.infer<typeof metadataMessage> | undefined) => (message ? headerOf(message, 'Subject') : undefined);

function replySubject(own: string | undefined, threadSubject: string | undefined): string | undefined {
  if (own) return own;
  if (!threadSubject) return undefined;
  return /^re:/i.test(threadSubject.trim()) ? threadSubject : `Re: ${threadSubject}`;
}

/** The MIME message as base64url, built by nodemailer. */
export async function buildRaw(options: {
  from: string;
  input: SendInput;
  messageId: string;
  reply?: { inReplyTo?: string; references?: string[]; subject?: string };
}): Promise<string> {
  const { input, reply } = options;
  const node = new MailComposer({
    from: options.from,
    to: input.to,
    cc: input.cc,
    bcc: input.bcc,
    subject: replySubject(input.subject, reply?.subject),
    text: input.text,
    messageId: options.messageId,
    ...(reply?.inReplyTo ? { inReplyTo: reply.inReplyTo, references: reply.references } : {}),
  }).compile();
  // Gmail reads Bcc recipients from the raw message (and removes the header before delivery).
  node.keepBcc = true;
  return (await node.build()).toString('base64url');
}

async function findByMessageId(client: ProviderClient, messageId: string): Promise<string | null> {
  const query = new URLSearchParams({ q: `rfc822msgid:${messageId.replace(/^<|>$/g, '')}`, includeSpamTrash: 'true', maxResults: '1' });
  const { body } = await client.request(`${GMAIL_API}/messages?${query}`);
  return found.parse(body).messages?.[0]?.id ?? null;
}

async function result(client: ProviderClient, messageId: string, resource: string, raw: unknown): Promise<ActionResult<MessageOutput>> {
  const message = await getMessageMetadata(client, messageId);
  if (!message) throw new ActionError('provider_error', `Gmail does not show message ${messageId} it just accepted.`);
  const data = messageRecord(message, await labelNames(client));
  const { output, errors } = applyMapping(compiled, data);
  if (errors.length > 0) throw new ActionError('provider_error', `Gmail's message did not map onto a message: ${errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  return { output: { message: Message.parse(output), resource, raw }, records: [{ resource: RESOURCE, externalId: message.id, data }] };
}

async function compose(context: ActionContext, input: SendInput) {
  const { client } = context;
  const bad = input.to.find((to) => !email.safeParse(to).success);
  if (bad !== undefined) throw new ActionError('validation_failed', 'Every recipient must be an email address.', [{ pointer: `/to/${input.to.indexOf(bad)}`, detail: 'not an email address' }]);
  const profile = profileSchema.parse((await client.request(`${GMAIL_API}/profile`)).body);
  const domain = profile.emailAddress.split('@')[1] ?? 'integration-hub.invalid';
  const messageId = context.idempotencyKey ? messageIdFor(context.idempotencyKey, domain) : `<ih.${crypto.randomUUID()}@${domain}>`;
  const reply = input.threadId ? await replyHeaders(client, input.threadId) : undefined;
  const raw = await buildRaw({ from: profile.emailAddress, input, messageId, reply });
  return { raw, messageId };
}

async function sendMessage(context: ActionContext, input: SendInput): Promise<ActionResult<MessageOutput>> {
  const { client } = context;
  const { raw, messageId } = await compose(context, input);
  if (context.retry) {
    const earlier = await findByMessageId(client, messageId);
    if (earlier) return result(client, earlier, RESOURCE, { id: earlier, replayed: true });
  }
  const { body } = await client.request(`${GMAIL_API}/messages/send`, { method: 'POST', json: { raw, ...(input.threadId ? { threadId: input.threadId } : {}) } });
  const message = sent.parse(body);
  return result(client, message.id, RESOURCE, message);
}

async function createDraft(context: ActionContext, input: ActionInput<'messages.draft'>): Promise<ActionResult<MessageOutput>> {
  const { client } = context;
  const { raw, messageId } = await compose(context, input);
  if (context.retry) {
    const earlier = await findByMessageId(client, messageId);
    if (earlier) return result(client, earlier, 'drafts', { message: { id: earlier }, replayed: true });
  }
  const { body } = await client.request(`${GMAIL_API}/drafts`, {
    method: 'POST',
    json: { message: { raw, ...(input.threadId ? { threadId: input.threadId } : {}) } },
  });
  const created = draft.parse(body);
  return result(client, created.message.id, 'drafts', created);
}

async function getMessage(context: ActionContext, input: ActionInput<'messages.get'>): Promise<ActionResult<MessageOutput>> {
  const { client } = context;
  let body: unknown;
  try {
    ({ body } = await client.request(`${GMAIL_API}/messages/${encodeURIComponent(input.messageId)}?format=full`));
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) {
      throw new ActionError('not_found', `Gmail has no message ${input.messageId.slice(0, 100)}.`);
    }
    throw error;
  }
  const message = metadataMessage.parse(body);
  const { output, errors } = applyMapping(compiled, messageRecord(message, await labelNames(client)));
  if (errors.length > 0) throw new ActionError('provider_error', `Gmail's message did not map onto a message: ${errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  // The body replaces the snippet in `text`; a message with no text part keeps the snippet.
  const text = bodyText(message.payload);
  // No records: what the sync stored (the snippet) stays as it is.
  return { output: { message: Message.parse({ ...output, ...(text ? { text } : {}) }), resource: RESOURCE, raw: body } };
}

export const gmailActions: ProviderActions = {
  'messages.get': getMessage,
  'messages.send': sendMessage,
  'messages.draft': createDraft,
};
