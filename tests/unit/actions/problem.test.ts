import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classify } from '@/lib/actions/run';
import { ActionError } from '@/lib/actions/errors';
import { ACTIONS } from '@/lib/actions/schemas';
import { ERROR_CODES, errorCodes } from '@/lib/http/error-codes';
import { HttpError } from '@/lib/http/errors';
import { describeFieldErrors, fieldErrors, jsonPointer, problemBody, problemResponse, PROBLEM_CONTENT_TYPE } from '@/lib/http/problem';
import { ProviderHttpError, ReauthorizationRequiredError, TemporaryProviderError } from '@/lib/providers/errors';

describe('problem details (RFC 9457)', () => {
  it('builds type, title and status from the one code table', () => {
    for (const code of errorCodes) {
      const body = problemBody(code, 'What happened.');
      expect(body).toEqual({ type: `/api/v1/problems/${code}`, title: ERROR_CODES[code].title, status: ERROR_CODES[code].status, detail: 'What happened.', code });
    }
  });

  it('adds extension members but never overwrites the standard ones', () => {
    const body = problemBody('insufficient_scope', 'Needs a scope.', { requiredScope: 'actions:write', status: 200, code: 'x', skipped: undefined });
    expect(body).toEqual({ type: '/api/v1/problems/insufficient_scope', title: ERROR_CODES.insufficient_scope.title, status: 403, detail: 'Needs a scope.', code: 'insufficient_scope', requiredScope: 'actions:write' });
  });

  it('answers application/problem+json with the status of the code', async () => {
    const response = problemResponse(problemBody('idempotency_key_reused', 'Reused.'), { 'Retry-After': '3' });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
  });

  it('points at fields with RFC 6901 JSON pointers', () => {
    expect(jsonPointer([])).toBe('');
    expect(jsonPointer(['attendee', 'email'])).toBe('/attendee/email');
    expect(jsonPointer(['items', 0, 'a/b', 'm~n'])).toBe('/items/0/a~1b/m~0n');
  });

  it('turns zod issues of an action input into field errors', () => {
    const parsed = ACTIONS['appointments.create'].input.safeParse({ start: 'tomorrow', durationMinutes: 2, timeZone: 'Mars/Base', title: 'x', attendee: {} });
    expect(parsed.success).toBe(false);
    const errors = fieldErrors(parsed.error!.issues);
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/attendee/email', '/durationMinutes', '/start', '/timeZone']);
    expect(describeFieldErrors(errors)).toMatch(/\/start: expected an ISO 8601 date-time/);
  });
});

describe('classifying what an action throws', () => {
  it('keeps the code and field errors of ActionError and HttpError', () => {
    expect(classify(new ActionError('slot_unavailable', 'Taken.'))).toMatchObject({ code: 'slot_unavailable', detail: 'Taken.' });
    expect(classify(new ActionError('validation_failed', 'Bad.', [{ pointer: '/start', detail: 'bad' }])).extensions).toEqual({ errors: [{ pointer: '/start', detail: 'bad' }] });
    const issues = z.object({ a: z.string() }).safeParse({}).error!.issues;
    expect(classify(new HttpError('validation_failed', 'Bad.', { issues })).extensions).toEqual({ errors: [{ pointer: '/a', detail: expect.any(String) }] });
  });

  it('maps provider failures: 429, dead grants, other answers, network', () => {
    const provider = { name: 'Square' } as never;
    expect(classify(new ProviderHttpError(429, 'slow down', 12), provider)).toEqual({
      code: 'provider_rate_limited',
      detail: 'Square is rate limiting this connection; retry in 12 s.',
      extensions: { retryAfterSeconds: 12 },
      headers: { 'Retry-After': '12' },
    });
    expect(classify(new ReauthorizationRequiredError('invalid_grant'), provider).code).toBe('needs_reauth');
    expect(classify(new ProviderHttpError(401, 'expired'), provider).code).toBe('needs_reauth');
    expect(classify(new ProviderHttpError(400, 'location_id is required'), provider)).toMatchObject({
      code: 'provider_error',
      detail: 'Square answered 400: location_id is required',
      extensions: { providerStatus: 400 },
    });
    expect(classify(new TemporaryProviderError('The provider timed out (x).'), provider).code).toBe('provider_error');
  });

  it('answers anything else as an internal error with an incident id, never its message', () => {
    const failure = classify(new Error('password=hunter2'));
    expect(failure.code).toBe('internal_error');
    expect(failure.detail).toMatch(/incident [0-9a-f-]{36}/);
    expect(failure.detail).not.toContain('hunter2');
  });
});
