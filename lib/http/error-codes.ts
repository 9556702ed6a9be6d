// The one table of error codes: every error answer the app gives carries one of these `code`s,
// and the code alone decides the HTTP status. The internal JSON routes answer
// `{ error, code, details? }`; the public API answers application/problem+json from this same
// table (`title` is the problem's title). Codes are stable: clients branch on them, so rename
// none, and add a new code rather than change an old one's status.
//
// Pure data, no server imports: the browser's apiFetch reads it too.

export const ERROR_CODES = {
  // The first code listed for a status is that status's generic code (see codeForStatus).
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 400, title: 'Validation failed' },
  credentials_rejected: { status: 400, title: 'The provider rejected the credentials' },
  idempotency_key_required: { status: 400, title: 'Idempotency-Key required' },
  unauthorized: { status: 401, title: 'Sign-in required' },
  invalid_credentials: { status: 401, title: 'Invalid email or password' },
  invalid_signature: { status: 401, title: 'Invalid signature' },
  forbidden: { status: 403, title: 'Forbidden' },
  insufficient_scope: { status: 403, title: 'The API key lacks the scope this needs' },
  not_found: { status: 404, title: 'Not found' },
  action_not_supported: { status: 404, title: 'Action not supported by this provider' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  already_exists: { status: 409, title: 'Already exists' },
  provider_not_configured: { status: 409, title: 'Provider not configured' },
  slot_unavailable: { status: 409, title: 'The slot is no longer available' },
  needs_reauth: { status: 409, title: 'The connection needs to be reconnected' },
  idempotency_key_in_use: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  invalid_mapping: { status: 422, title: 'Invalid mapping' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with a different request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  provider_rate_limited: { status: 429, title: 'The provider is rate limiting this connection' },
  internal_error: { status: 500, title: 'Internal error' },
  provider_error: { status: 502, title: 'The provider answered with an error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The body of every JSON error answer of the app's internal routes. */
export interface ErrorBody {
  /** A sentence a person can act on. */
  error: string;
  code: ErrorCode;
  details?: unknown;
}

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The generic code of a status, for answers that came without one (a proxy's 502, say). A 5xx is
 * our failure or unavailability, never guessed to be a provider's (provider_error is only named).
 */
export function codeForStatus(status: number): ErrorCode {
  if (status >= 500) return status === 503 ? 'unavailable' : 'internal_error';
  const exact = errorCodes.find((code) => ERROR_CODES[code].status === status);
  return exact ?? 'bad_request';
}
