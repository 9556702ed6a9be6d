import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError } from '@/lib/http/errors';
import { readJson, toErrorResponse } from '@/lib/http/route';

const schema = z.object({ name: z.string({ error: 'name must be text' }) });
const post = (body: string, type = 'application/json') =>
  new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': type }, body });

async function statusOf(promise: Promise<unknown>) {
  const error = await promise.catch((e) => e);
  expect(error).toBeInstanceOf(HttpError);
  const { status, code, message } = error as HttpError;
  return { status, code, message };
}

describe('readJson', () => {
  it('parses a valid body', async () => {
    expect(await readJson(post('{"name":"Acme"}'), schema)).toEqual({ name: 'Acme' });
  });

  it('answers readable 4xx for each kind of bad input', async () => {
    expect(await statusOf(readJson(post('{"name":'), schema))).toEqual({
      status: 400,
      code: 'bad_request',
      message: 'The request body is not valid JSON.',
    });
    expect(await statusOf(readJson(post(''), schema))).toMatchObject({ status: 400, code: 'bad_request', message: /empty/ });
    expect(await statusOf(readJson(post('{"name":5}'), schema))).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'name: name must be text',
    });
    expect(await statusOf(readJson(post('{}', 'text/plain'), schema))).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(await statusOf(readJson(post(`{"name":"${'x'.repeat(70_000)}"}`), schema))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });
});

describe('toErrorResponse', () => {
  it('maps database refusals to 403 and 409 with the reason', async () => {
    const rls = toErrorResponse(Object.assign(new Error('Failed query'), { cause: { code: '42501', message: 'rls' } }));
    expect(rls.status).toBe(403);
    expect(await rls.json()).toEqual({ error: 'Your role in this workspace does not allow this.', code: 'forbidden' });
    const owner = toErrorResponse(
      Object.assign(new Error('Failed query'), { cause: { code: 'P0001', message: 'A workspace needs at least one owner' } }),
    );
    expect(owner.status).toBe(409);
    expect(await owner.json()).toEqual({ error: 'A workspace needs at least one owner', code: 'conflict' });
  });

  it('hides internals of unexpected errors behind an incident id', async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const response = toErrorResponse(new Error('secret internals'));
      expect(response.status).toBe(500);
      const body = await response.json();
      expect(body.error).toMatch(/incident [0-9a-f-]{36}/);
      expect(body.code).toBe('internal_error');
      expect(JSON.stringify(body)).not.toContain('secret internals');
    } finally {
      console.error = original;
    }
  });
});
