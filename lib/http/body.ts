// Reading a request body without trusting it: a declared Content-Length over the cap is refused
// before a byte is read, and the body is streamed with the cap enforced as it arrives, so a lying
// or missing Content-Length cannot make the server buffer more than `limit` bytes.
import { HttpError } from './errors';

export interface BodyLimitMessages {
  /** The sentence for a body over the limit. */
  tooLarge?: string;
}

export async function readBodyWithLimit(request: Request, limit: number, messages: BodyLimitMessages = {}): Promise<Buffer> {
  const tooLarge = () => new HttpError('payload_too_large', messages.tooLarge ?? `The request body is larger than ${formatBytes(limit)}.`);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      throw new HttpError('bad_request', 'The request body could not be read.');
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, size);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
