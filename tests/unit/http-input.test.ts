// Client input before it reaches anything: NUL (U+0000) anywhere in a body, query or path params
// is a 400 naming the field, and a JSON body is never buffered past its cap.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readBodyWithLimit } from '@/lib/http/body';
import { HttpError } from '@/lib/http/errors';
import { findNul, httpErrorFromDatabase, MAX_JSON_BYTES, parseWith, readJson, readQuery } from '@/lib/http/route';

const NUL = '\u0000';

async function refusal(promise: Promise<unknown> | (() => unknown)) {
  const error = await (typeof promise === 'function' ? Promise.resolve().then(promise) : promise).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(HttpError);
  return error as HttpError;
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

/** A body of `total` bytes that counts how much of it anyone pulled. */
function countingStream(total: number, chunk = 16 * 1024) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= total) return controller.close();
      counter.pulled += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
  });
  return { stream, counter };
}

describe('NUL in client input', () => {
  it('finds NUL in strings and keys at any depth, and nothing else', () => {
    expect(findNul({ a: 'x', b: [1, true, null, { c: 'y' }] })).toBeNull();
    expect(findNul(`a${NUL}`)).toEqual([]);
    expect(findNul({ a: [0, { b: `x${NUL}` }] })).toEqual(['a', 1, 'b']);
    expect(findNul({ a: { [`k${NUL}`]: 1 } })).toEqual(['a', `k${NUL}`]);
    // Iterative: a body nested far deeper than the call stack allows is walked without overflowing.
    let deep: unknown = `x${NUL}`;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(findNul(deep)).toHaveLength(50_000);
  });

  it('parseWith refuses NUL before the schema sees it, even where the schema takes anything', async () => {
    const error = await refusal(() => parseWith(z.object({ definition: z.unknown() }), { definition: { rows: [{ value: `a${NUL}` }] } }));
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'definition.rows.0.value: must not contain the NUL character (U+0000)' });
    expect(error.details).toEqual({ issues: [{ code: 'nul_character', path: ['definition', 'rows', 0, 'value'], message: expect.stringMatching(/NUL/) }] });
    const key = await refusal(() => parseWith(z.record(z.string(), z.unknown()), { [`a${NUL}b`]: 1 }));
    expect(key.message).toBe('a\\u0000b: must not contain the NUL character (U+0000)');
  });

  it('readJson refuses the JSON escape \\u0000 in any field with a 400', async () => {
    const schema = z.object({ email: z.string(), password: z.string() });
    const error = await refusal(readJson(post('{"email":"a@b.co","password":"pass\\u0000word"}'), schema));
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: /^password: .*NUL/ });
  });

  it('readQuery refuses %00 in a query parameter', async () => {
    const request = new Request('http://localhost/x?name=a%00b&page=1');
    const error = await refusal(() => readQuery(request, z.object({ name: z.string(), page: z.string() })));
    expect(error).toMatchObject({ status: 400, message: /^name: .*NUL/ });
  });

  it("maps PostgreSQL's NUL refusals (22021 text, 22P05 jsonb) to 400", () => {
    for (const code of ['22021', '22P05', '22P02']) {
      const mapped = httpErrorFromDatabase(Object.assign(new Error('Failed query'), { cause: { code, message: 'x' } }));
      expect(mapped, code).toBeInstanceOf(HttpError);
      expect(mapped!.status, code).toBe(400);
    }
  });
});

describe('reading a JSON body with a cap', () => {
  const schema = z.object({ name: z.string() });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const { stream, counter } = countingStream(4 * 1024 * 1024);
    const error = await refusal(readJson(post(stream, { 'content-length': String(4 * 1024 * 1024) }), schema));
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(counter.pulled).toBeLessThanOrEqual(16 * 1024);
  });

  it('stops reading a body without Content-Length as soon as it passes the cap', async () => {
    const { stream, counter } = countingStream(8 * 1024 * 1024);
    const error = await refusal(readJson(post(stream), schema));
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(counter.pulled).toBeLessThanOrEqual(MAX_JSON_BYTES + 2 * 16 * 1024);
  });

  it('still reads bodies up to the cap, multi-byte text intact', async () => {
    const name = 'ü'.repeat(10_000);
    expect(await readJson(post(JSON.stringify({ name })), schema)).toEqual({ name });
    const exact = await readBodyWithLimit(post('x'.repeat(100)), 100);
    expect(exact.length).toBe(100);
    await expect(readBodyWithLimit(post('x'.repeat(101)), 100)).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});
