// Reading a webhook request before anything trusts it: a hard size cap enforced while the body
// streams in (a lying or missing Content-Length cannot get past it), the media type, and the URL
// the provider signed. Every refusal is a WebhookRefusal with a 4xx code and a plain sentence.
import { readBodyWithLimit } from '../http/body';
import { statusOf, type ErrorCode } from '../http/error-codes';
import { HttpError } from '../http/errors';

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

/** The body as raw bytes, at most `limit` of them (the shared capped reader, lib/http/body.ts). */
export async function readRawBody(request: Request, limit = MAX_WEBHOOK_BYTES): Promise<Buffer> {
  try {
    return await readBodyWithLimit(request, limit, { tooLarge: `The webhook body is larger than ${limit / 1024} KiB.` });
  } catch (error) {
    if (error instanceof HttpError && (error.code === 'payload_too_large' || error.code === 'bad_request')) {
      throw new WebhookRefusal(error.code, error.message);
    }
    throw error;
  }
}

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
