// Request parsing and error answers for route handlers (see handler.ts). Every error answer is
// { error, code, details? } with a code from error-codes.ts. Anything a client can
// cause answers a readable 4xx; only our own bugs become 500s, and those are logged by id
// without request bodies (which may hold passwords or tokens).
import crypto from 'node:crypto';
import { z } from 'zod';
import { pgErrorCode, pgErrorMessage, PG } from '../db/errors';
import { errorResponse, HttpError } from './errors';

const MAX_JSON_BYTES = 64 * 1024;

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    })
    .join('; ');
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError('validation_failed', describeZodError(result.error), { issues: result.error.issues });
  return result.data;
}

export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new HttpError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw new HttpError('payload_too_large', 'The request body is too large.');
  let body: unknown;
  try {
    body = text.length ? JSON.parse(text) : undefined;
  } catch {
    throw new HttpError('bad_request', 'The request body is not valid JSON.');
  }
  if (body === undefined) throw new HttpError('bad_request', 'The request body is empty; send a JSON object.');
  return parseWith(schema, body);
}

export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.output<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return parseWith(schema, params);
}

/**
 * The database's refusals a client can cause, as answers: a row-level-security or grant refusal,
 * a rule a trigger raised with a reason (e.g. the last owner), a malformed identifier.
 */
export function httpErrorFromDatabase(error: unknown): HttpError | undefined {
  switch (pgErrorCode(error)) {
    case PG.insufficientPrivilege:
      return new HttpError('forbidden', 'Your role in this workspace does not allow this.');
    case PG.raiseException:
      return new HttpError('conflict', pgErrorMessage(error));
    case PG.invalidTextRepresentation:
      return new HttpError('bad_request', 'An identifier in the request is malformed.');
    default:
      return undefined;
  }
}

/** Every failure as `{ error, code, details? }`; anything unforeseen is a logged 500. */
export function toErrorResponse(error: unknown): Response {
  const known = error instanceof HttpError ? error : httpErrorFromDatabase(error);
  if (known) return errorResponse(known.code, known.message, { details: known.details ?? undefined });
  const incident = crypto.randomUUID();
  console.error(`[${incident}] unhandled error: ${describeForLog(error)}`);
  return errorResponse('internal_error', `Something went wrong on our side (incident ${incident}).`);
}

/**
 * The error's class and database code down its cause chain, and where it was thrown — never its
 * message, which may carry a query's bound parameters (a password being hashed, a token) or the
 * offending value.
 */
export function describeForLog(error: unknown): string {
  const chain: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') {
      chain.push(typeof e);
      break;
    }
    const name = e instanceof Error ? e.name : (e.constructor?.name ?? 'object');
    const code = (e as { code?: unknown }).code;
    chain.push(typeof code === 'string' || typeof code === 'number' ? `${name} (code ${code})` : name);
  }
  if (!chain.length) chain.push(String(error));
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return [chain.join(' <- '), ...frames].join('\n');
}
