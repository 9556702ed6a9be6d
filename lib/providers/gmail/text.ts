// A Gmail message's body as text, from users.messages.get format=full
// (https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages#MessagePart):
// a tree of parts, each with mimeType, filename, headers and body { size, data?, attachmentId? },
// where data is base64url of the part's content already transfer-decoded by Gmail (no
// quoted-printable or base64 left), in the charset its Content-Type names.
// The first text/plain leaf that is not an attachment wins; failing that, the first text/html leaf
// is reduced to text. The reduction is a single left-to-right scan with indexOf (no regular
// expressions over the body, so no backtracking whatever the HTML): tags are dropped, the content of
// <script>, <style>, <head> and comments too, block-level tags become line breaks and the common
// entities are decoded. It is for reading, not rendering: layout and links are lost.
import { z } from 'zod';
import { OUTPUT_LIMITS } from '../../mapping/limits';

interface Part {
  mimeType?: string;
  filename?: string;
  headers?: { name: string; value: string }[];
  body?: { data?: string; attachmentId?: string };
  parts?: Part[];
}

const part: z.ZodType<Part> = z.lazy(() =>
  z
    .object({
      mimeType: z.string().optional(),
      filename: z.string().optional(),
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      body: z.object({ data: z.string().optional(), attachmentId: z.string().optional() }).passthrough().optional(),
      parts: z.array(part).optional(),
    })
    .passthrough(),
);

/** Nesting deeper than this is not mail anyone reads (and not worth a deep recursion). */
const MAX_DEPTH = 20;

const headerOf = (p: Part, name: string) => p.headers?.find((h) => h.name.toLowerCase() === name)?.value;

function isAttachment(p: Part): boolean {
  if (p.filename) return true;
  if (p.body?.attachmentId && !p.body.data) return true;
  return (headerOf(p, 'content-disposition') ?? '').trim().toLowerCase().startsWith('attachment');
}

/** The leaves in document order, attachments left out. */
function leaves(p: Part, depth: number, out: Part[]): Part[] {
  if (depth > MAX_DEPTH) return out;
  if (p.parts && p.parts.length > 0) {
    for (const child of p.parts) leaves(child, depth + 1, out);
  } else if (!isAttachment(p) && p.body?.data) {
    out.push(p);
  }
  return out;
}

function charsetOf(p: Part): string {
  const type = headerOf(p, 'content-type') ?? '';
  for (const param of type.split(';').slice(1)) {
    const [key, value] = param.split('=', 2);
    if (key?.trim().toLowerCase() === 'charset' && value) return value.trim().replace(/^"|"$/g, '');
  }
  return 'utf-8';
}

function decode(p: Part): string {
  const bytes = Buffer.from(p.body?.data ?? '', 'base64url');
  try {
    return new TextDecoder(charsetOf(p)).decode(bytes);
  } catch {
    // A charset the runtime does not know: UTF-8, replacing what does not decode.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const BLOCK = new Set(['br', 'p', 'div', 'li', 'tr', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'hr', 'ul', 'ol', 'section', 'article', 'header', 'footer']);
const SKIP = new Set(['script', 'style', 'head', 'title']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', copy: '©' };

function entity(name: string): string | undefined {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return ENTITIES[name.toLowerCase()];
}

/** The tag's name (lower case, no `/`), from the text after `<`. */
function tagName(tag: string): string {
  const start = tag.startsWith('/') ? 1 : 0;
  let end = start;
  while (end < tag.length && /[A-Za-z0-9]/.test(tag[end])) end += 1;
  return tag.slice(start, end).toLowerCase();
}

/** HTML reduced to text in one linear scan. */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '<') {
      if (html.startsWith('<!--', i)) {
        const close = html.indexOf('-->', i + 4);
        i = close === -1 ? html.length : close + 3;
        continue;
      }
      const close = html.indexOf('>', i + 1);
      if (close === -1) break;
      const tag = html.slice(i + 1, close);
      const name = tagName(tag);
      i = close + 1;
      if (!tag.startsWith('/') && SKIP.has(name)) {
        // Everything up to the matching end tag is not text.
        const end = lower.indexOf(`</${name}`, i);
        i = end === -1 ? html.length : end;
        continue;
      }
      if (BLOCK.has(name)) out += '\n';
      continue;
    }
    if (c === '&') {
      // Only the next few characters: an entity name is short, and a search to the end per `&` would be quadratic.
      const near = html.slice(i + 1, i + 12).indexOf(';');
      const semi = near === -1 ? -1 : i + 1 + near;
      const decoded = semi !== -1 ? entity(html.slice(i + 1, semi)) : undefined;
      if (decoded !== undefined) {
        out += decoded;
        i = semi + 1;
        continue;
      }
    }
    out += c;
    i += 1;
  }
  return tidy(out);
}

/** Runs of spaces to one, lines trimmed, at most one blank line in a row. */
function tidy(value: string): string {
  const lines = value.replace(/\r\n?/g, '\n').split('\n').map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim());
  const kept: string[] = [];
  for (const line of lines) if (line !== '' || (kept.length > 0 && kept[kept.length - 1] !== '')) kept.push(line);
  return kept.join('\n').trim();
}

/** At most the Message model's string limit, never cutting a surrogate pair in half. */
function bounded(value: string): string {
  if (value.length <= OUTPUT_LIMITS.string) return value;
  const cut = value.slice(0, OUTPUT_LIMITS.string);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The message's body as text, or undefined when it has none (no text/plain or text/html leaf). */
export function bodyText(payload: unknown): string | undefined {
  const parsed = part.safeParse(payload);
  if (!parsed.success) return undefined;
  const all = leaves(parsed.data, 0, []);
  const type = (p: Part) => (p.mimeType ?? '').toLowerCase();
  const plain = all.find((p) => type(p) === 'text/plain');
  const html = plain ? undefined : all.find((p) => type(p) === 'text/html');
  const text = plain ? decode(plain).replace(/\r\n?/g, '\n').trim() : html ? htmlToText(decode(html)) : '';
  return text === '' ? undefined : bounded(text);
}
