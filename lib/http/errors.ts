// Errors that carry a machine-readable code (which decides the HTTP status, see error-codes.ts)
// and a sentence a person can act on.
import { ERROR_CODES, type ErrorBody, type ErrorCode } from './error-codes';

export { type ErrorBody, type ErrorCode } from './error-codes';

export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = ERROR_CODES[code].status;
  }
}

export const notFound = (what = 'Not found') => new HttpError('not_found', what);
export const forbidden = (why: string) => new HttpError('forbidden', why);
export const unauthorized = () => new HttpError('unauthorized', 'Sign in to continue.');
export const conflict = (why: string) => new HttpError('conflict', why);

/**
 * A JSON error answer `{ error, code, details? }` whose status comes from the code. `init` may add
 * headers (e.g. retry-after) and `details`; the status is never given separately.
 */
export function errorResponse(
  code: ErrorCode,
  message: string,
  init: Omit<ResponseInit, 'status'> & { details?: unknown } = {},
): Response {
  const { details, ...responseInit } = init;
  const body: ErrorBody = { error: message, code, ...(details !== undefined ? { details } : {}) };
  return Response.json(body, { ...responseInit, status: ERROR_CODES[code].status });
}
