import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiFetch } from '@/lib/client/api';
import { codeForStatus, ERROR_CODES, errorCodes, isErrorCode, statusOf, type ErrorCode } from '@/lib/http/error-codes';
import { conflict, errorResponse, forbidden, HttpError, notFound, unauthorized } from '@/lib/http/errors';
import { describeForLog, httpErrorFromDatabase, toErrorResponse } from '@/lib/http/route';

// The statuses clients and tests already rely on: a code's status never changes.
const EXPECTED: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  credentials_rejected: 400,
  idempotency_key_required: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_signature: 401,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  action_not_supported: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_exists: 409,
  provider_not_configured: 409,
  slot_unavailable: 409,
  needs_reauth: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_mapping: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  provider_rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
  unavailable: 503,
};

const dbError = (code: string, message = 'database says no') =>
  Object.assign(new Error('Failed query: select $1\nparams: hunter2'), { cause: { code, message } });

describe('the error code table', () => {
  it('maps every code to its status, and has a title for each', () => {
    expect(Object.fromEntries(errorCodes.map((code) => [code, statusOf(code)]))).toEqual(EXPECTED);
    for (const code of errorCodes) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(ERROR_CODES[code].title.length).toBeGreaterThan(2);
    }
  });

  it('gives each status a generic code, and one for statuses it does not list', () => {
    expect(codeForStatus(400)).toBe('bad_request');
    expect(codeForStatus(401)).toBe('unauthorized');
    expect(codeForStatus(409)).toBe('conflict');
    expect(codeForStatus(422)).toBe('invalid_mapping');
    expect(codeForStatus(418)).toBe('bad_request');
    // A 5xx without a code is ours (or the proxy's), never guessed to be the provider's.
    expect(codeForStatus(502)).toBe('internal_error');
    expect(codeForStatus(500)).toBe('internal_error');
    expect(codeForStatus(503)).toBe('unavailable');
    for (const code of errorCodes.filter((c) => statusOf(c) < 500)) expect(statusOf(codeForStatus(statusOf(code)))).toBe(statusOf(code));
  });

  it('recognises only its own codes', () => {
    expect(isErrorCode('not_found')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('Not Found')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});

describe('HttpError', () => {
  it('carries its code and takes the status from the table', () => {
    for (const code of errorCodes) {
      const error = new HttpError(code, 'A sentence.', { issues: [] });
      expect(error).toMatchObject({ code, status: EXPECTED[code], message: 'A sentence.', details: { issues: [] } });
    }
  });

  it('has helpers for the common refusals', () => {
    expect(notFound()).toMatchObject({ code: 'not_found', status: 404, message: 'Not found' });
    expect(forbidden('No.')).toMatchObject({ code: 'forbidden', status: 403, message: 'No.' });
    expect(unauthorized()).toMatchObject({ code: 'unauthorized', status: 401, message: 'Sign in to continue.' });
    expect(conflict('Taken.')).toMatchObject({ code: 'conflict', status: 409, message: 'Taken.' });
  });
});

describe('errorResponse', () => {
  it('answers { error, code } with the status of the code', async () => {
    for (const code of errorCodes) {
      const response = errorResponse(code, 'Readable.');
      expect(response.status).toBe(EXPECTED[code]);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ error: 'Readable.', code });
    }
  });

  it('adds details and headers when given', async () => {
    const response = errorResponse('unavailable', 'Retry later.', { details: { at: 'db' }, headers: { 'retry-after': '30' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({ error: 'Retry later.', code: 'unavailable', details: { at: 'db' } });
  });
});

describe('toErrorResponse', () => {
  it('answers an HttpError with its code and details', async () => {
    const response = toErrorResponse(new HttpError('invalid_mapping', 'The mapping is not valid.', { issues: [{ path: 'x', message: 'y' }] }));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: 'The mapping is not valid.',
      code: 'invalid_mapping',
      details: { issues: [{ path: 'x', message: 'y' }] },
    });
  });

  it('maps the database refusals a client can cause to codes', async () => {
    const cases = [
      ['42501', 403, 'forbidden', 'Your role in this workspace does not allow this.'],
      ['P0001', 409, 'conflict', 'A workspace needs at least one owner'],
      ['22P02', 400, 'bad_request', 'An identifier in the request is malformed.'],
    ] as const;
    for (const [pgCode, status, code, error] of cases) {
      const failure = dbError(pgCode, 'A workspace needs at least one owner');
      expect(httpErrorFromDatabase(failure)).toMatchObject({ code, status });
      const response = toErrorResponse(failure);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error, code });
    }
    expect(httpErrorFromDatabase(dbError('23505'))).toBeUndefined();
  });

  it('logs an unforeseen error by class and code only, never its message or bound parameters', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = toErrorResponse(dbError('23505', 'duplicate key value: secret@example.test'));
      expect(response.status).toBe(500);
      const body = await response.json();
      expect(body).toEqual({ error: expect.stringMatching(/incident [0-9a-f-]{36}/), code: 'internal_error' });
      const logged = log.mock.calls.flat().join(' ');
      expect(logged).toContain('Error <- Object (code 23505)');
      expect(logged).toMatch(/\n\s+at /);
      expect(logged).not.toMatch(/hunter2|secret@example|Failed query/);
    } finally {
      log.mockRestore();
    }
  });

  it('describes odd throwables without crashing', () => {
    expect(describeForLog('a string')).toBe('string');
    expect(describeForLog(undefined)).toBe('undefined');
    expect(describeForLog(Object.assign(new TypeError('x'), { code: 'ERR_X' }))).toMatch(/^TypeError \(code ERR_X\)/);
  });
});

describe('apiFetch', () => {
  afterEach(() => vi.unstubAllGlobals());

  const answer = (status: number, body: unknown) =>
    vi.stubGlobal('fetch', vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })));

  it('exposes the server code with the sentence, status and details', async () => {
    answer(409, { error: 'a@b.co has already been invited.', code: 'already_exists', details: { email: 'a@b.co' } });
    const error = await apiFetch('/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'already_exists', message: 'a@b.co has already been invited.', details: { email: 'a@b.co' } });
  });

  it('falls back to the generic code of the status when the answer has none', async () => {
    answer(502, '<html>Bad gateway</html>');
    expect(await apiFetch('/api/x').catch((e: unknown) => e)).toMatchObject({ status: 502, code: 'internal_error' });
    answer(404, { error: 'Gone.', code: 'no_such_code' });
    expect(await apiFetch('/api/x').catch((e: unknown) => e)).toMatchObject({ status: 404, code: 'not_found', message: 'Gone.' });
  });

  it('calls an unreachable server a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await apiFetch('/api/x').catch((e: unknown) => e)).toMatchObject({ status: 0, code: 'network_error' });
  });
});
