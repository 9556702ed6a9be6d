import { describe, expect, it } from 'vitest';
import {
  completionFor,
  decide,
  IDEMPOTENCY_LEASE_MS,
  parseIdempotencyKey,
  providerIdempotencyKey,
  requestFingerprint,
  type StoredKey,
} from '@/lib/actions/idempotency';

const now = new Date('2027-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const stored = (overrides: Partial<StoredKey> = {}): StoredKey => ({
  status: 'running',
  requestHash: 'h1',
  lockedAt: ago(1_000),
  expiresAt: new Date(now.getTime() + 3_600_000),
  responseStatus: null,
  responseBody: null,
  ...overrides,
});

describe('the Idempotency-Key state machine', () => {
  it('replays a completed answer for the same request, errors included', () => {
    expect(decide(stored({ status: 'completed', responseStatus: 200, responseBody: { ok: 1 } }), 'h1', now)).toEqual({ kind: 'replay', status: 200, body: { ok: 1 } });
    expect(decide(stored({ status: 'completed', responseStatus: 409, responseBody: { code: 'slot_unavailable' } }), 'h1', now)).toEqual({
      kind: 'replay',
      status: 409,
      body: { code: 'slot_unavailable' },
    });
  });

  it('refuses another request with the key (422), whatever state the key is in', () => {
    for (const status of ['running', 'completed', 'released'] as const) {
      expect(decide(stored({ status, responseStatus: 200 }), 'h2', now)).toEqual({ kind: 'refuse', code: 'idempotency_key_reused' });
    }
  });

  it('refuses while the first request runs (409), and takes over after its lease with retry', () => {
    expect(decide(stored({ lockedAt: ago(IDEMPOTENCY_LEASE_MS - 1) }), 'h1', now)).toEqual({ kind: 'refuse', code: 'idempotency_key_in_use' });
    expect(decide(stored({ lockedAt: ago(IDEMPOTENCY_LEASE_MS) }), 'h1', now)).toEqual({ kind: 'run', retry: true, fresh: false });
    expect(decide(stored({ lockedAt: ago(5_000) }), 'h1', now, 5_000)).toEqual({ kind: 'run', retry: true, fresh: false });
  });

  it('runs a released key again, as a retry', () => {
    expect(decide(stored({ status: 'released' }), 'h1', now)).toEqual({ kind: 'run', retry: true, fresh: false });
  });

  it('treats an expired key as new, whatever its body was', () => {
    const expired = { expiresAt: ago(1) };
    expect(decide(stored({ ...expired, status: 'completed', responseStatus: 200 }), 'h2', now)).toEqual({ kind: 'run', retry: false, fresh: true });
    expect(decide(stored(expired), 'h1', now)).toEqual({ kind: 'run', retry: false, fresh: true });
  });

  it('stores final answers and releases retryable ones', () => {
    expect(completionFor(200)).toBe('store');
    expect(completionFor(400, 'validation_failed')).toBe('store');
    expect(completionFor(409, 'slot_unavailable')).toBe('store');
    expect(completionFor(409, 'conflict')).toBe('store');
    expect(completionFor(404, 'not_found')).toBe('store');
    expect(completionFor(409, 'needs_reauth')).toBe('release');
    expect(completionFor(429, 'provider_rate_limited')).toBe('release');
    expect(completionFor(502, 'provider_error')).toBe('release');
    expect(completionFor(500, 'internal_error')).toBe('release');
  });
});

describe('keys and fingerprints', () => {
  it('reads the header as a structured-field string or a bare token', () => {
    expect(parseIdempotencyKey(null)).toBeNull();
    expect(parseIdempotencyKey(undefined)).toBeNull();
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey(' abc ')).toBe('abc');
    expect(parseIdempotencyKey('"a\\"b"')).toBe('a"b');
    for (const bad of ['', '""', 'x'.repeat(256), 'caf\u00e9', 'a\u0000b']) {
      expect(() => parseIdempotencyKey(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    }
  });

  it('fingerprints the action, connection and canonical input', () => {
    const base = { connectionId: 'c1', action: 'contacts.create', input: { email: 'a@example.com', firstName: 'A' } };
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint({ ...base, input: { firstName: 'A', email: 'a@example.com' } })).toBe(requestFingerprint(base));
    expect(requestFingerprint({ ...base, input: { ...base.input, firstName: 'B' } })).not.toBe(requestFingerprint(base));
    expect(requestFingerprint({ ...base, connectionId: 'c2' })).not.toBe(requestFingerprint(base));
    expect(requestFingerprint({ ...base, action: 'appointments.create' })).not.toBe(requestFingerprint(base));
  });

  it('derives the provider key per workspace, connection, action and key, in characters every provider takes', () => {
    const scope = { workspaceId: 'w1', connectionId: 'c1', action: 'appointments.create', key: 'k' };
    const key = providerIdempotencyKey(scope);
    expect(key).toMatch(/^[0-9a-v]{64}$/);
    expect(providerIdempotencyKey(scope)).toBe(key);
    expect(providerIdempotencyKey({ ...scope, workspaceId: 'w2' })).not.toBe(key);
    expect(providerIdempotencyKey({ ...scope, key: 'k2' })).not.toBe(key);
  });
});
