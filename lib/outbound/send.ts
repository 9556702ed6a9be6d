// One HTTP POST to an endpoint: through the checked lookup (address-check.ts), with a timeout, no
// redirects (a 3xx is a failed attempt: following it would let a public URL bounce us to a private
// one), and the first bytes of the answer kept for the delivery log. Never throws: every outcome
// is a result the caller records.
import http from 'node:http';
import https from 'node:https';
import { AddressRefused, allowPrivateAddresses, checkedLookup, checkLiteralHost, checkUrlShape, systemResolver, type Resolver } from './address-check';

export const SEND_TIMEOUT_MS = 10_000;
/** Characters of the receiver's answer kept per delivery (the column allows 2,000). */
export const EXCERPT_CHARS = 1_000;
const READ_LIMIT_BYTES = 4 * 1024;

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** The start of the answer's body, or why there was no answer. */
  excerpt: string;
  /** True when the address rules refused the request (never sent). */
  refused: boolean;
}

export interface SenderOptions {
  resolve?: Resolver;
  allowPrivate?: boolean;
  timeoutMs?: number;
  production?: boolean;
}

export type Sender = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/** A sender with its own keep-alive pools (a socket is reused only after its address passed). */
export function createSender(options: SenderOptions = {}): Sender {
  const allowPrivate = options.allowPrivate ?? allowPrivateAddresses();
  const lookup = checkedLookup(options.resolve ?? systemResolver, allowPrivate);
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  return (rawUrl, headers, body) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = checkUrlShape(rawUrl, { production: options.production, allowPrivate });
      checkLiteralHost(url, allowPrivate);
    } catch (error) {
      return Promise.resolve({ ok: false, statusCode: null, latencyMs: 0, excerpt: (error as Error).message, refused: true });
    }
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const payload = Buffer.from(body, 'utf8');
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(
        url,
        {
          method: 'POST',
          agent: agents[url.protocol as 'http:' | 'https:'],
          lookup,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'IntegrationHub-Webhooks/1' },
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            if (read < READ_LIMIT_BYTES) chunks.push(chunk);
            read += chunk.length;
            // Enough for the log: stop reading a huge answer rather than buffer it.
            if (read >= READ_LIMIT_BYTES) response.destroy();
          });
          const done = () => {
            const status = response.statusCode ?? 0;
            finish({
              ok: status >= 200 && status < 300,
              statusCode: status,
              latencyMs: elapsed(),
              excerpt: excerptOf(Buffer.concat(chunks).toString('utf8')),
              refused: false,
            });
          };
          response.on('end', done);
          response.on('close', done);
          response.on('error', done);
        },
      );
      request.on('timeout', () => {
        request.destroy();
        finish({ ok: false, statusCode: null, latencyMs: elapsed(), excerpt: `No answer within ${timeoutMs / 1000} s.`, refused: false });
      });
      request.on('error', (error) => {
        const refused = error instanceof AddressRefused || (error as NodeJS.ErrnoException).code === 'EADDRREFUSED';
        finish({ ok: false, statusCode: null, latencyMs: elapsed(), excerpt: excerptOf(describeError(error)), refused });
      });
      request.end(payload);
    });
  };
}

function describeError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRREFUSED') return error.message;
  return code ? `${code}: ${error.message}` : error.message;
}

/** Text fit for the log: capped, no NUL (PostgreSQL text cannot hold it). */
export function excerptOf(text: string): string {
  const clean = text.replaceAll('\u0000', '');
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS - 1)}…` : clean;
}

let shared: Sender | null = null;
/** The process's sender (the settings are read once). */
export function defaultSender(): Sender {
  shared ??= createSender();
  return shared;
}
