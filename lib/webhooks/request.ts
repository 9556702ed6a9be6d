// Reading a webhook request before anything trusts it: a hard size cap enforced while the body
// streams in (a lying or missing Content-Length cannot get past it), the media type, and the URL
// the provider signed. Every refusal is a WebhookRefusal with a 4xx code and a plain sentence.
import { statusOf, type ErrorCode } from '../http/error-codes';

/** HubSpot batches at most 100 events (~30 KB) and Square sends one; 1 MiB leaves ample room. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export class WebhookRefusal extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'bad_request' | 'not_found' | 'payload_too_large' | 'unsupported_media_type'>,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRefusal';
  }

  get status(): number {
    return statusOf(this.code);
  }
}

export async function readRawBody(request: Request, limit = MAX_WEBHOOK_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      throw new WebhookRefusal('bad_request', 'The request body could not be read.');
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, size);
}

const tooLarge = (limit: number) => new WebhookRefusal('payload_too_large', `The webhook body is larger than ${limit / 1024} KiB.`);

export function requireJson(request: Request): void {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new WebhookRefusal('unsupported_media_type', 'Send the webhook body as JSON (Content-Type: application/json).');
  }
}

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw new WebhookRefusal('bad_request', 'The webhook body is empty.');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookRefusal('bad_request', 'The webhook body is not valid JSON.');
  }
}

/**
 * The public base URL (PUBLIC_APP_URL, else APP_URL), without a trailing slash, or null. Behind
 * a proxy the request's own URL is the proxy's view of it, which a provider never signed.
 */
export function publicBaseUrl(): string | null {
  const configured = process.env.PUBLIC_APP_URL || process.env.APP_URL;
  return configured ? configured.replace(/\/+$/, '') : null;
}

/**
 * The URL the provider called, as it would have signed it: the configured public base URL with
 * the request's path and query; without one, the origin the client used (X-Forwarded-Proto and
 * -Host when a proxy set them). Trusting those headers here is safe: the URL is only an input to
 * an HMAC whose key the sender must hold, so a forged header can only make its own request fail.
 */
export function signedRequestUrl(request: Request): string {
  const url = new URL(request.url);
  const base = publicBaseUrl();
  if (base) return `${base}${url.pathname}${url.search}`;
  const proto = firstValue(request.headers.get('x-forwarded-proto')) ?? url.protocol.replace(/:$/, '');
  const host = firstValue(request.headers.get('x-forwarded-host')) ?? request.headers.get('host') ?? url.host;
  return `${proto}://${host}${url.pathname}${url.search}`;
}

function firstValue(header: string | null): string | null {
  const value = header?.split(',')[0]?.trim();
  return value ? value : null;
}
