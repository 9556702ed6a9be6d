// Request parsing and error answers for route handlers (see handler.ts). Every error answer is
// { error, code, details? } with a code from error-codes.ts. Anything a client can
// cause answers a readable 4xx; only our own bugs become 500s, and those are logged by id
// without request bodies (which may hold passwords or tokens).
import crypto from 'node:crypto';
import { z } from 'zod';
import { pgErrorCode, pgErrorMessage, PG } from '../db/errors';
import { readBodyWithLimit } from './body';
import { errorResponse, HttpError } from './errors';

/** The most a JSON request body may hold; larger ones are refused before they are buffered. */
export const MAX_JSON_BYTES = 64 * 1024;

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    })
    .join('; ');
}

const NUL = '\u0000';

/**
 * Where in a parsed value (a JSON body, a query, path params) a string or an object key carries
 * U+0000, as a path; null when none does. PostgreSQL cannot store NUL in text or jsonb, so input
 * carrying one is refused here, before any schema (even `z.unknown()`) lets it through. Iterative,
 * so a deeply nested body cannot overflow the stack.
 */
export function findNul(value: unknown): (string | number)[] | null {
  interface Node {
    value: unknown;
    key?: string | number;
    parent?: Node;
  }
  const pathOf = (node: Node, ...rest: (string | number)[]) => {
    const path: (string | number)[] = [];
    for (let n: Node | undefined = node; n && n.key !== undefined; n = n.parent) path.push(n.key);
    return [...path.reverse(), ...rest];
  };
  const stack: Node[] = [{ value }];
  while (stack.length) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return pathOf(node);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], key: i, parent: node });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (const [key] of entries) if (key.includes(NUL)) return pathOf(node, key);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], key: entries[i][0], parent: node });
    }
  }
  return null;
}

/** A 400 naming the field whose text carries NUL (the path shown with NUL spelled out). */
function nulRefusal(path: (string | number)[]): HttpError {
  const shown = path.map((segment) => (typeof segment === 'string' ? segment.replaceAll(NUL, '\\u0000') : segment));
  const message = 'must not contain the NUL character (U+0000)';
  return new HttpError('validation_failed', shown.length ? `${shown.join('.')}: ${message}` : `The input ${message}.`, {
    issues: [{ code: 'nul_character', path: shown, message }],
  });
}

/** Validates client input (a body, a query, path params) with `schema`; NUL anywhere is a 400. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const nulAt = findNul(value);
  if (nulAt) throw nulRefusal(nulAt);
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError('validation_failed', describeZodError(result.error), { issues: result.error.issues });
  return result.data;
}

export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new HttpError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  }
  // Unauthenticated routes (sign-in, sign-up) read bodies too: never buffer more than the cap.
  const text = (await readBodyWithLimit(request, MAX_JSON_BYTES, { tooLarge: 'The request body is too large.' })).toString('utf8');
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
 * a rule a trigger raised with a reason (e.g. the last owner), a malformed identifier, text the
 * database cannot store (NUL in text, `\u0000` in jsonb; parseWith refuses both first, this is
 * the second line for input that reached a query another way).
 */
export function httpErrorFromDatabase(error: unknown): HttpError | undefined {
  switch (pgErrorCode(error)) {
    case PG.characterNotInRepertoire:
    case PG.untranslatableCharacter:
      return new HttpError('bad_request', 'The request contains a character that cannot be stored (such as NUL, U+0000).');
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
