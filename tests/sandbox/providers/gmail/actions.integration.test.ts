// Gmail actions against the sandbox: send (through runAction, written through to the records),
// reply in a thread (In-Reply-To and References from the thread's last message, "Re:" subject,
// the thread id), draft, a retry that finds what the first attempt sent instead of sending twice,
// and refusals. The MIME the app built is read back from what the sandbox received and checked
// header by header (the sandbox's own simple header parse, not the library that built it).
// messages.get reads a body on demand (format=full): text/plain from a multipart/alternative
// message, the HTML reduced to text when there is no plain part, the stored snippet untouched, and
// not_found for a message Gmail does not have.
import { describe, expect, it } from 'vitest';
import { gmailActions } from '@/lib/providers/gmail/actions';
import { connectViaSandbox } from '@/tests/support/connect';
import { actionRunner, connectForActions, expectActionError, handlerRunner } from '@/tests/support/actions';
import { testEngine } from '@/tests/support/database';
import { sandboxSuite } from '@/tests/support/sandbox-suite';
import { SyncRunner } from '@/lib/sync/runner';
import { storedRecords, syncToEnd } from '@/tests/support/sync';
import { bodyOf, messageId, parseHeaders } from './mailbox';

const suite = sandboxSuite();
const ACCOUNT = 'ada.mail@sandbox.example';
const actions = actionRunner(suite);
const handler = handlerRunner(suite, gmailActions, new Date());

interface Sent {
  id: string;
  threadId: string;
  labelIds: string[];
  draftId: string | null;
  raw: string;
}

async function outbox(): Promise<Sent[]> {
  const all = (await (await fetch(`${suite.sandbox.url}/_sandbox/webhooks/gmail-outbox`)).json()) as { account: string; messages: Sent[] }[];
  return all.find((entry) => entry.account === ACCOUNT)?.messages ?? [];
}

const header = (raw: string, name: string) => parseHeaders(raw).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

async function connect() {
  // Six generated messages: two threads of three (ids messageId(0..5)).
  suite.sandbox.setKnobs({ dataset: { 'gmail.messages': 6 } });
  return connectForActions(suite, 'Gmail actions', (workspaceId) => connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'gmail'));
}

describe(`Gmail actions (${testEngine})`, () => {
  it('sends an email built as MIME, writes it through to the records, and replays a repeated Idempotency-Key', async () => {
    const connection = await connect();
    const input = { to: ['grace@example.com'], cc: ['alan@example.com'], bcc: ['hidden@example.com'], subject: 'Hello from the hub', text: 'Line one.\nLine two, ünïcødé.' };
    const output = await actions.ok(connection, 'messages.send', input, 'send-key-1');
    expect(output.resource).toBe('messages');
    expect(output.message).toMatchObject({ channel: 'email', subject: 'Hello from the hub', fromAddress: ACCOUNT, to: ['grace@example.com'], cc: ['alan@example.com'], labels: ['SENT'] });

    const [sent] = await outbox();
    expect(sent.id).toBe(output.message.externalId);
    expect(sent.labelIds).toEqual(['SENT']);
    expect(header(sent.raw, 'From')).toBe(ACCOUNT);
    expect(header(sent.raw, 'To')).toBe('grace@example.com');
    expect(header(sent.raw, 'Cc')).toBe('alan@example.com');
    // Gmail needs Bcc in the raw message to deliver it (and drops it from what it stores).
    expect(header(sent.raw, 'Bcc')).toBe('hidden@example.com');
    expect(header(sent.raw, 'Subject')).toBe('Hello from the hub');
    expect(header(sent.raw, 'Message-ID')).toMatch(/^<ih\.[A-Za-z0-9_-]{32}@sandbox\.example>$/);
    expect(header(sent.raw, 'MIME-Version')).toBe('1.0');
    expect(header(sent.raw, 'Content-Type')).toMatch(/^text\/plain; charset=utf-8/i);
    // Non-ASCII text is transfer-encoded by the library, never sent as raw 8-bit.
    expect(header(sent.raw, 'Content-Transfer-Encoding')).toBe('quoted-printable');
    expect(bodyOf(sent.raw)).toContain('Line one.');

    const stored = await storedRecords(suite.database.db, connection.connectionId, 'messages');
    const row = stored.find((r) => r.externalId === sent.id);
    expect(row?.mapped).toMatchObject({ subject: 'Hello from the hub', channel: 'email' });
    expect(JSON.stringify(row?.raw)).not.toContain('hidden@example.com');

    // The same key and body: the stored answer, nothing sent again.
    const again = await actions.run(connection, 'messages.send', input, 'send-key-1');
    expect(again.ok).toBe(true);
    expect(await outbox()).toHaveLength(1);
  });

  it('replies in a thread with In-Reply-To and References from its last message', async () => {
    const connection = await connect();
    const thread = messageId(0);
    const output = await actions.ok(connection, 'messages.send', { to: ['grace@example.com'], text: 'Agreed.', threadId: thread }, 'reply-key-1');
    expect(output.message.threadExternalId).toBe(thread);
    const [reply] = await outbox();
    expect(reply.threadId).toBe(thread);
    const last = `<${messageId(2)}@mail.sandbox.example>`;
    expect(header(reply.raw, 'In-Reply-To')).toBe(last);
    expect(header(reply.raw, 'References')?.split(/\s+/)).toEqual([0, 1, 2].map((i) => `<${messageId(i)}@mail.sandbox.example>`));
    expect(header(reply.raw, 'Subject')).toMatch(/^Re: Quarterly report \(0\)$/);
  });

  it('creates a draft (not sent), and refuses recipients that are not addresses and unknown threads', async () => {
    const connection = await connect();
    const output = await actions.ok(connection, 'messages.draft', { to: ['grace@example.com'], subject: 'Draft', text: 'Not yet.' }, 'draft-key-1');
    expect(output.resource).toBe('drafts');
    expect(output.message).toMatchObject({ labels: ['DRAFT'], subject: 'Draft' });
    const [draft] = await outbox();
    expect(draft).toMatchObject({ labelIds: ['DRAFT'] });
    expect(draft.draftId).toMatch(/^r\d+$/);

    await actions.problem(connection, 'messages.send', { to: ['#general'], text: 'x' }, 'bad-to', 'validation_failed');
    await actions.problem(connection, 'messages.send', { to: ['grace@example.com'], text: 'x', threadId: 'ffffffffffffffff' }, 'bad-thread', 'not_found');
    expect(await outbox()).toHaveLength(1);
  });

  it('a retry whose first attempt was sent finds that message by its Message-ID instead of sending again', async () => {
    const connection = await connect();
    const input = { to: ['grace@example.com'], subject: 'Once', text: 'Only once.' };
    const first = await handler(connection, 'messages.send', input, { key: 'retry-key' });
    const retried = await handler(connection, 'messages.send', input, { key: 'retry-key', retry: true });
    expect(retried.output.message.externalId).toBe(first.output.message.externalId);
    expect(await outbox()).toHaveLength(1);
    // A retry of a key that never sent anything sends.
    await handler(connection, 'messages.send', { ...input, subject: 'Other' }, { key: 'other-key', retry: true });
    expect(await outbox()).toHaveLength(2);
    await expectActionError(handler(connection, 'messages.draft', { to: ['not an address'], text: 'x' }, { key: 'k' }), 'validation_failed');
  });

  it('reads a body on demand (text/plain preferred, else the HTML as text) without touching the stored snippet', async () => {
    const connection = await connect();
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    const before = await storedRecords(suite.database.db, connection.connectionId, 'messages');
    const snippetOf = (id: string) => (before.find((r) => r.externalId === id)?.mapped as { text?: string } | undefined)?.text;
    // A read needs actions:read only.
    const reader = { ...connection, principal: { ...connection.principal, scopes: ['actions:read' as const] } };

    // multipart/alternative: the text/plain part, base64url-decoded.
    const plain = await actions.ok(reader, 'messages.get', { messageId: messageId(1) });
    expect(plain.resource).toBe('messages');
    expect(plain.message).toMatchObject({ externalId: messageId(1), threadExternalId: messageId(0), channel: 'email', subject: 'Re: Quarterly report (0)' });
    expect(plain.message.text).toBe(snippetOf(messageId(1)));
    expect(plain.raw.payload.mimeType).toBe('multipart/alternative');

    // HTML only: tags, <head>/<style> and entities gone, the paragraphs on their own lines.
    const html = await actions.ok(reader, 'messages.get', { messageId: messageId(2) });
    expect(html.raw.payload.mimeType).toBe('text/html');
    const text = html.message.text as string;
    expect(text).not.toMatch(/<\/?[a-z]+[\s>]|margin|&\w+;/i);
    expect(text.split('\n').length).toBeGreaterThanOrEqual(2);
    // &mdash;&nbsp;, &lt; and &gt; decoded.
    expect(text).toContain(`— ${html.message.fromName} <${html.message.fromAddress}>`);
    expect(text.replace(/\s+/g, ' ')).toContain(snippetOf(messageId(2)));

    // Nothing written through: the records are what the sync stored (snippets).
    expect(await storedRecords(suite.database.db, connection.connectionId, 'messages')).toEqual(before);

    await actions.problem(reader, 'messages.get', { messageId: 'ffffffffffffffff' }, undefined, 'not_found');
  });
});
