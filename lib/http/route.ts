// Request parsing and error answers for route handlers (see handler.ts). Anything a client can
// cause answers a readable 4xx; only our own bugs become 500s, and those are logged by id
// without request bodies (which may hold passwords or tokens).
import crypto from 'node:crypto';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { pgErrorCode, pgErrorMessage, PG } from '../db/errors';
import { HttpError } from './errors';

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
  if (!result.success) throw new HttpError(400, describeZodError(result.error), { issues: result.error.issues });
  return result.data;
}

export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new HttpError(415, 'Send the request body as JSON (Content-Type: application/json).');
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw new HttpError(413, 'The request body is too large.');
  let body: unknown;
  try {
    body = text.length ? JSON.parse(text) : undefined;
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.');
  }
  if (body === undefined) throw new HttpError(400, 'The request body is empty; send a JSON object.');
  return parseWith(schema, body);
}

export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.output<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return parseWith(schema, params);
}

export function toErrorResponse(error: unknown): NextResponse {
  if (error instanceof HttpError) {
    return NextResponse.json({ error: error.message, ...(error.details ? { details: error.details } : {}) }, {
      status: error.status,
    });
  }
  const code = pgErrorCode(error);
  if (code === PG.insufficientPrivilege) {
    return NextResponse.json({ error: 'Your role in this workspace does not allow this.' }, { status: 403 });
  }
  if (code === PG.raiseException) {
    return NextResponse.json({ error: pgErrorMessage(error) }, { status: 409 });
  }
  if (code === PG.invalidTextRepresentation) {
    return NextResponse.json({ error: 'An identifier in the request is malformed.' }, { status: 400 });
  }
  const incident = crypto.randomUUID();
  console.error(`[${incident}] unhandled error:`, error instanceof Error ? error.stack : error);
  return NextResponse.json({ error: `Something went wrong on our side (incident ${incident}).` }, { status: 500 });
}
