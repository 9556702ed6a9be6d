// The browser's one way to call the JSON API: sends JSON, and turns a failed answer into an Error
// carrying the server's own sentence and its machine-readable code (every route answers
// { error, code, details? } on failure; see lib/http/error-codes.ts).
import { codeForStatus, isErrorCode, type ErrorCode } from '../http/error-codes';

/** A server code, or `network_error` when the server could not be reached at all (status 0). */
export type ApiErrorCode = ErrorCode | 'network_error';

export class ApiError extends Error {
  /** Branch on this, not on the sentence: e.g. `already_exists`, `not_found`, `invalid_mapping`. */
  readonly code: ApiErrorCode;
  /** The answer's `details`, when the route gave any (e.g. a mapping's problems, each at a path). */
  readonly details?: unknown;

  constructor(
    readonly status: number,
    message: string,
    options: { code?: ApiErrorCode; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = options.code ?? (status === 0 ? 'network_error' : codeForStatus(status));
    this.details = options.details;
  }
}

interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

export async function apiFetch<T>(path: string, { method = 'GET', body, signal }: ApiOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      payload && typeof payload === 'object' && 'error' in payload && typeof payload.error === 'string'
        ? payload.error
        : `The request failed (${response.status}).`;
    const details = payload && typeof payload === 'object' && 'details' in payload ? payload.details : undefined;
    // An answer without a known code (a proxy's error page, say) gets its status's generic code.
    const code = payload && typeof payload === 'object' && 'code' in payload && isErrorCode(payload.code) ? payload.code : undefined;
    throw new ApiError(response.status, message, { code, details });
  }
  return payload as T;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
