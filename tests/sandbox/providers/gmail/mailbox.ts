// The sandbox mailbox: one messages dataset per account (generated mail in threads of three, plus
// what the app sends or drafts), rendered as Gmail API v1 renders a Message: format=metadata (only
// the requested headers), full, raw or minimal. A message's historyId is the tick of its last change
// and the mailbox's historyId the data clock, so users.history.list replays the change log.
// Messages written through the API keep their raw MIME (what the app built) for tests to read.
import type { Dataset, ResourceSpec } from '../../data';
import { between, email, personName, pick } from '../../data-fake';
import { findAccount, PROFILE } from './accounts';

export const SYSTEM_LABELS = ['INBOX', 'SENT', 'DRAFT', 'UNREAD', 'STARRED', 'IMPORTANT', 'SPAM', 'TRASH', 'CATEGORY_PERSONAL', 'CATEGORY_UPDATES'];
export const USER_LABELS = [
  { id: 'Label_1', name: 'Clients' },
  { id: 'Label_2', name: 'Invoices' },
  { id: 'Label_3', name: 'Follow-up' },
];

const SUBJECTS = ['Quarterly report', 'Invoice 2041', 'Lunch on Friday?', 'Contract renewal', 'Design review notes', 'Travel plans', 'Welcome aboard', 'Support ticket #88'];
const LINES = ['Thanks for the quick reply.', 'Please find the details below.', 'Can we move this to next week?', 'Looks good to me.', 'Attached is the latest draft.'];

/** Messages thread in threes: a message's thread is named by its first message. */
const THREAD_SIZE = 3;

export const messageId = (index: number) => `18c${index.toString(16).padStart(13, '0')}`;

export const gmailMessagesSpec: ResourceSpec = {
  key: 'gmail.messages',
  provider: PROFILE.id,
  resource: 'messages',
  // 16 hex digits as Gmail's ids; zero-padding keeps id order = index order.
  idOf: (index) => messageId(index),
  generate(rng, { index, account }) {
    const root = index - (index % THREAD_SIZE);
    const { first, last } = personName(rng);
    const subject = `${SUBJECTS[root % SUBJECTS.length]} (${root.toString(36)})`;
    const labels = ['INBOX', 'CATEGORY_PERSONAL'];
    if (rng() < 0.4) labels.push('UNREAD');
    if (rng() < 0.2) labels.push(pick(rng, USER_LABELS).id);
    const cc = between(rng, 0, 2) === 2 ? [email(personName(rng).first, 'cc', index, rng)] : [];
    return {
      fromName: `${first} ${last}`,
      from: email(first, last, index, rng),
      to: [findAccount(account)?.email ?? account],
      cc,
      subject: index === root ? subject : `Re: ${subject}`,
      text: `${pick(rng, LINES)} ${pick(rng, LINES)}`,
      labelIds: labels,
    };
  },
  // Gmail messages never change but for their labels: an edit stars or unstars, reads or unreads.
  update(fields, rng) {
    const labels = new Set(fields.labelIds as string[]);
    const label = pick(rng, ['STARRED', 'UNREAD', 'IMPORTANT']);
    if (labels.has(label)) labels.delete(label);
    else labels.add(label);
    fields.labelIds = [...labels];
  },
};

/** A message the API wrote: its raw MIME, its thread, its headers as parsed. */
export interface Written {
  raw: string;
  threadId: string;
  headers: [string, string][];
  draftId?: string;
}

const WRITTEN = new WeakMap<Dataset, Map<number, Written>>();

export function writtenOf(dataset: Dataset): Map<number, Written> {
  let written = WRITTEN.get(dataset);
  if (!written) WRITTEN.set(dataset, (written = new Map()));
  return written;
}

export function threadIdOf(dataset: Dataset, index: number): string {
  return WRITTEN.get(dataset)?.get(index)?.threadId ?? dataset.idOf(index - (index % THREAD_SIZE));
}

/** The RFC 5322 header fields of a raw message, unfolded, in order (a test peer's parse, not a MIME library). */
export function parseHeaders(raw: string): [string, string][] {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return block
    .split(/\r?\n/)
    .map((line) => {
      const colon = line.indexOf(':');
      return colon > 0 ? ([line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as [string, string]) : null;
    })
    .filter((entry): entry is [string, string] => entry !== null);
}

/** The body after the header block (the sandbox only reads single-part text mail). */
export function bodyOf(raw: string): string {
  const match = /\r?\n\r?\n/.exec(raw);
  return match ? raw.slice(match.index + match[0].length) : '';
}

function generatedHeaders(dataset: Dataset, index: number): [string, string][] {
  const fields = dataset.fields(index);
  const root = index - (index % THREAD_SIZE);
  const own = `<${dataset.idOf(index)}@mail.sandbox.example>`;
  const headers: [string, string][] = [
    ['From', `${fields.fromName as string} <${fields.from as string}>`],
    ['To', (fields.to as string[]).join(', ')],
  ];
  if ((fields.cc as string[]).length > 0) headers.push(['Cc', (fields.cc as string[]).join(', ')]);
  headers.push(['Subject', fields.subject as string], ['Date', new Date(dataset.createdAt[index]).toUTCString().replace('GMT', '+0000')], ['Message-ID', own]);
  if (index !== root) {
    const previous = `<${dataset.idOf(index - 1)}@mail.sandbox.example>`;
    const references = Array.from({ length: index - root }, (_, n) => `<${dataset.idOf(root + n)}@mail.sandbox.example>`).join(' ');
    headers.push(['In-Reply-To', previous], ['References', references]);
  }
  headers.push(['MIME-Version', '1.0'], ['Content-Type', htmlOnly(index) ? 'text/html; charset="UTF-8"' : `multipart/alternative; boundary="${boundaryOf(dataset, index)}"`]);
  return headers;
}

/**
 * Generated mail is MIME as Gmail's web client sends it: multipart/alternative with a text/plain
 * and a text/html part; the last message of each thread is HTML only (as some mailers send), so a
 * client that wants text has to fall back to the HTML.
 */
const htmlOnly = (index: number) => index % THREAD_SIZE === THREAD_SIZE - 1;
const boundaryOf = (dataset: Dataset, index: number) => `000000000000${dataset.idOf(index)}`;

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlOf(dataset: Dataset, index: number): string {
  const fields = dataset.fields(index);
  const lines = (fields.text as string).split(/(?<=\.|\?)\s+/);
  return (
    '<html><head><style type="text/css">p { margin: 0 0 8px; } .sig { color: #888; }</style></head>' +
    `<body><div dir="ltr">${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}<br>` +
    `<div class="sig">&mdash;&nbsp;${escapeHtml(fields.fromName as string)} &lt;${escapeHtml(fields.from as string)}&gt;</div></div></body></html>`
  );
}

interface Part {
  mimeType: string;
  text: string;
}

/** The leaf parts of a generated message (text first, as Gmail orders multipart/alternative). */
function partsOf(dataset: Dataset, index: number): Part[] {
  const html = { mimeType: 'text/html', text: htmlOf(dataset, index) };
  return htmlOnly(index) ? [html] : [{ mimeType: 'text/plain', text: textOf(dataset, index) }, html];
}

const bodyData = (text: string) => ({ size: Buffer.byteLength(text), data: Buffer.from(text).toString('base64url') });

export const headersOf = (dataset: Dataset, index: number) => WRITTEN.get(dataset)?.get(index)?.headers ?? generatedHeaders(dataset, index);

function textOf(dataset: Dataset, index: number): string {
  const written = WRITTEN.get(dataset)?.get(index);
  return written ? bodyOf(written.raw).trim() : (dataset.fields(index).text as string);
}

export type Format = 'minimal' | 'metadata' | 'full' | 'raw';

/** The Message resource (https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages). */
export function renderMessage(dataset: Dataset, index: number, format: Format, metadataHeaders: string[] = []) {
  const text = textOf(dataset, index);
  const base = {
    id: dataset.idOf(index),
    threadId: threadIdOf(dataset, index),
    labelIds: dataset.fields(index).labelIds as string[],
    snippet: text.slice(0, 200),
    sizeEstimate: 600 + text.length,
    historyId: String(dataset.updatedAt[index]),
    internalDate: String(dataset.createdAt[index]),
  };
  if (format === 'minimal') return base;
  const written = WRITTEN.get(dataset)?.get(index);
  if (format === 'raw') return { ...base, raw: Buffer.from(written?.raw ?? rawOf(dataset, index)).toString('base64url') };
  const all = headersOf(dataset, index).map(([name, value]) => ({ name, value }));
  const wanted = new Set(metadataHeaders.map((name) => name.toLowerCase()));
  const headers = format === 'metadata' && wanted.size > 0 ? all.filter((h) => wanted.has(h.name.toLowerCase())) : all;
  if (written) {
    // What the app wrote: single-part text mail (the sandbox reads nothing else).
    const payload = { partId: '', mimeType: 'text/plain', filename: '', headers };
    return format === 'metadata' ? { ...base, payload } : { ...base, payload: { ...payload, body: bodyData(text) } };
  }
  const parts = partsOf(dataset, index);
  const mimeType = parts.length === 1 ? parts[0].mimeType : 'multipart/alternative';
  const payload = { partId: '', mimeType, filename: '', headers };
  if (format === 'metadata') return { ...base, payload };
  if (parts.length === 1) return { ...base, payload: { ...payload, body: bodyData(parts[0].text) } };
  // A multipart payload: the container's body is empty, each leaf carries its own headers and data.
  return {
    ...base,
    payload: {
      ...payload,
      body: { size: 0 },
      parts: parts.map((part, n) => ({
        partId: String(n),
        mimeType: part.mimeType,
        filename: '',
        headers: [
          { name: 'Content-Type', value: `${part.mimeType}; charset="UTF-8"` },
          { name: 'Content-Transfer-Encoding', value: '7bit' },
        ],
        body: bodyData(part.text),
      })),
    },
  };
}

function rawOf(dataset: Dataset, index: number): string {
  const head = headersOf(dataset, index)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  const parts = partsOf(dataset, index);
  if (parts.length === 1) return `${head}\r\n\r\n${parts[0].text}\r\n`;
  const boundary = boundaryOf(dataset, index);
  // Generated text is ASCII, so each part goes as-is (7bit).
  const body = parts.map((part) => `--${boundary}\r\nContent-Type: ${part.mimeType}; charset="UTF-8"\r\n\r\n${part.text}\r\n`).join('');
  return `${head}\r\n\r\n${body}--${boundary}--\r\n`;
}

/** A message the API wrote: appended to the dataset (the change log records it), its MIME kept. */
export function insertWritten(dataset: Dataset, tick: number, raw: string, options: { threadId?: string; labelIds: string[]; draftId?: string }): number {
  const index = dataset.create(tick);
  const all = parseHeaders(raw);
  // Gmail delivers to Bcc recipients and removes the header from the stored message.
  const headers = all.filter(([name]) => name.toLowerCase() !== 'bcc');
  const fields = dataset.fields(index);
  for (const key of Object.keys(fields)) delete fields[key];
  fields.labelIds = options.labelIds;
  writtenOf(dataset).set(index, { raw, threadId: options.threadId ?? dataset.idOf(index), headers, ...(options.draftId ? { draftId: options.draftId } : {}) });
  return index;
}

/** The written messages of a mailbox, newest last, for tests (`GET /_sandbox/webhooks/gmail-outbox`). */
export function writtenMessages(dataset: Dataset) {
  return [...writtenOf(dataset)].map(([index, written]) => ({
    id: dataset.idOf(index),
    threadId: written.threadId,
    labelIds: dataset.fields(index).labelIds,
    draftId: written.draftId ?? null,
    raw: written.raw,
  }));
}
