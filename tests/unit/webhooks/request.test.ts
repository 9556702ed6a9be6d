// What the webhook endpoint does before trusting a request: the size cap (declared or streamed),
// the media type, the URL the provider signed (behind proxies too), and what of it is stored.
import { afterEach, describe, expect, it } from 'vitest';
import { isSecretName, redactHeaders, redactPayload, redactUrl } from '@/lib/webhooks/redact';
import { parseJsonBody, readRawBody, requireJson, signedRequestUrl, WebhookRefusal } from '@/lib/webhooks/request';
import { parseStandardDelivery } from '@/lib/webhooks/standard';

const post = (body: BodyInit | null, headers: Record<string, string> = {}, url = 'http://hub.test/api/webhooks/square?x=1') =>
  new Request(url, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

afterEach(() => {
  delete process.env.PUBLIC_APP_URL;
  delete process.env.APP_URL;
});

describe('readRawBody', () => {
  it('returns the exact bytes, including bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0x00, 0x7d]);
    expect([...(await readRawBody(post(bytes)))]).toEqual([0x7b, 0xff, 0x00, 0x7d]);
    expect((await readRawBody(post(null))).length).toBe(0);
  });

  it('refuses a body over the limit, whether its length is declared or only streamed', async () => {
    await expect(readRawBody(post('x'.repeat(11)), 10)).rejects.toMatchObject({ status: 413 });
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(4));
        if (pulls > 100) controller.close();
      },
    });
    await expect(readRawBody(post(stream), 10)).rejects.toBeInstanceOf(WebhookRefusal);
    // It stopped reading once over the limit, rather than buffering the whole stream.
    expect(pulls).toBeLessThan(10);
  });
});

describe('media type and JSON', () => {
  it('accepts JSON media types only', () => {
    expect(() => requireJson(post('{}', { 'content-type': 'application/json; charset=utf-8' }))).not.toThrow();
    expect(() => requireJson(post('{}', { 'content-type': 'application/cloudevents+json' }))).not.toThrow();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      expect(() => requireJson(post('{}', type ? { 'content-type': type } : {}))).toThrow(expect.objectContaining({ status: 415 }));
    }
  });

  it('answers 400 to empty or malformed JSON', () => {
    expect(parseJsonBody(Buffer.from('[1]'))).toEqual([1]);
    expect(() => parseJsonBody(Buffer.alloc(0))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseJsonBody(Buffer.from('{"a":'))).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('signedRequestUrl', () => {
  it('is the request URL, path and query untouched, without configuration', () => {
    expect(signedRequestUrl(post('{}', { host: 'hub.test' }))).toBe('http://hub.test/api/webhooks/square?x=1');
  });

  it('follows the proxy’s X-Forwarded-Proto and -Host', () => {
    const request = post('{}', { host: 'app:3000', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'hub.example.com' });
    expect(signedRequestUrl(request)).toBe('https://hub.example.com/api/webhooks/square?x=1');
  });

  it('prefers the configured public URL (PUBLIC_APP_URL, then APP_URL)', () => {
    process.env.APP_URL = 'https://app.example.com/';
    expect(signedRequestUrl(post('{}', { 'x-forwarded-host': 'evil.test' }))).toBe('https://app.example.com/api/webhooks/square?x=1');
    process.env.PUBLIC_APP_URL = 'https://hooks.example.com';
    expect(signedRequestUrl(post('{}'))).toBe('https://hooks.example.com/api/webhooks/square?x=1');
  });
});

describe('redaction', () => {
  it('replaces signatures, tokens, cookies and authorization in stored headers, and keeps the rest', () => {
    const headers = new Headers({
      authorization: 'Bearer abc',
      cookie: 'session=1',
      'x-goog-channel-token': 'secret-token',
      'x-hubspot-signature-v3': 'sig',
      'x-hubspot-signature-version': 'v1',
      'x-hubspot-request-timestamp': '1700000000000',
      'webhook-signature': 'v1,abc',
      'content-type': 'application/json',
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-goog-channel-token': '[redacted]',
      'x-hubspot-signature-v3': '[redacted]',
      'x-hubspot-signature-version': 'v1',
      'x-hubspot-request-timestamp': '1700000000000',
      'webhook-signature': '[redacted]',
      'content-type': 'application/json',
    });
  });

  it('redacts secret-looking payload fields at any depth, whole, and leaves data alone', () => {
    const payload = {
      id: 7,
      email: 'ada@example.com',
      access_token: 'at',
      nested: [{ apiKey: 'k', name: 'x', credentials: { user: 'u', pass: 'p' } }],
      password: null,
    };
    expect(redactPayload(payload)).toEqual({
      id: 7,
      email: 'ada@example.com',
      access_token: '[redacted]',
      nested: [{ apiKey: '[redacted]', name: 'x', credentials: '[redacted]' }],
      password: null,
    });
    expect(isSecretName('propertyValue')).toBe(false);
  });

  it('redacts secret query parameters in URLs', () => {
    expect(redactUrl('https://hub.test/hook?token=abc&x=1&sig=zz')).toBe('https://hub.test/hook?token=%5Bredacted%5D&x=1&sig=%5Bredacted%5D');
    expect(redactUrl('https://hub.test/hook?x=1')).toBe('https://hub.test/hook?x=1');
  });
});

describe('Standard Webhooks payloads', () => {
  it('syncs the resource the type names, or the whole connection, keyed by webhook-id', () => {
    const resources = ['contacts', 'deals'];
    expect(parseStandardDelivery({ type: 'contacts.updated', timestamp: '2026-11-01T10:00:00Z', data: {} }, 'msg_1', resources)).toEqual({
      eventId: 'msg_1',
      eventType: 'contacts.updated',
      accountId: '',
      resource: 'contacts',
      change: { kind: 'sync' },
      occurredAt: '2026-11-01T10:00:00.000Z',
    });
    expect(parseStandardDelivery({ type: 'invoice.paid' }, 'msg_2', resources)).toMatchObject({ resource: null, change: { kind: 'sync' } });
    expect(parseStandardDelivery(['not', 'an', 'object'], 'msg_3', resources)).toMatchObject({ eventType: 'webhook', resource: null, occurredAt: null });
  });
});
