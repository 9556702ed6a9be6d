// Error answers of the public API (/api/v1) as RFC 9457 problem details, built from the same code
// table as the app's internal `{ error, code, details? }` answers (error-codes.ts): the code
// decides the status and the title; `type` names the code (a relative URI the API serves, see
// app/api/v1/problems/[code]); validation failures list each bad field as a JSON pointer
// (RFC 6901) into the request body.
//
// Pure, no server imports: the Try it panel and the OpenAPI generator may read it too.
import { ERROR_CODES, type ErrorCode } from './error-codes';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where a code's description lives, relative to the API's origin. */
export const PROBLEM_TYPE_BASE = '/api/v1/problems/';

/** One invalid field: where it is in the request body, and what is wrong with it. */
export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  /** A sentence about this occurrence a person can act on. */
  detail: string;
  /** The stable machine-readable code (error-codes.ts): clients branch on this, not on `type`. */
  code: ErrorCode;
  /** This occurrence (`urn:uuid:<action log id>` for action calls). */
  instance?: string;
  /** validation_failed: each invalid field. */
  errors?: ProblemFieldError[];
  /** Extension members (e.g. retryAfterSeconds, requiredScope). */
  [extension: string]: unknown;
}

export function problemType(code: ErrorCode): string {
  return `${PROBLEM_TYPE_BASE}${code}`;
}

export function problemBody(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const { status, title } = ERROR_CODES[code];
  const body: ProblemDetails = { type: problemType(code), title, status, detail, code };
  for (const [key, value] of Object.entries(extensions)) {
    // The standard members come from the table; extensions cannot overwrite them.
    if (value !== undefined && !(key in body)) body[key] = value;
  }
  return body;
}

export function problemResponse(problem: ProblemDetails, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set('content-type', PROBLEM_CONTENT_TYPE);
  merged.set('cache-control', 'no-store');
  return new Response(JSON.stringify(problem), { status: problem.status, headers: merged });
}

/** An RFC 6901 JSON pointer for a path of keys and indexes (`['attendee', 'email']` → `/attendee/email`). */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/** Zod issues (or anything with a path and a message) as problem field errors, one per issue. */
export function fieldErrors(issues: readonly IssueLike[], prefix: readonly PropertyKey[] = []): ProblemFieldError[] {
  return issues.map((issue) => ({ pointer: jsonPointer([...prefix, ...issue.path]), detail: issue.message }));
}

/** One sentence from field errors: "/start: expected …; /end: must be after start". */
export function describeFieldErrors(errors: readonly ProblemFieldError[]): string {
  if (errors.length === 0) return 'The request is not valid.';
  return errors.map((e) => (e.pointer ? `${e.pointer}: ${e.detail}` : e.detail)).join('; ');
}

/** Whether a value is a list of `{ pointer, detail }` (what ActionError carries for validation_failed). */
export function isFieldErrorList(value: unknown): value is ProblemFieldError[] {
  return (
    Array.isArray(value) &&
    value.every((item) => item && typeof item === 'object' && typeof (item as ProblemFieldError).pointer === 'string' && typeof (item as ProblemFieldError).detail === 'string')
  );
}
