import { describe, expect, it } from 'vitest';
import { ApiRateLimiter, apiRateLimitFromEnv, rateLimitHeaders } from '@/lib/actions/rate-limit';
import { isPhoneKey, MAX_LOGGED_JSON, redactForLog, redactText } from '@/lib/actions/redact';
import { normalisePhones } from '@/lib/actions/run';

describe('the per-key token bucket', () => {
  it('allows a burst of its capacity, then refuses until a token refills', () => {
    const limiter = new ApiRateLimiter({ capacity: 3, refillPerSecond: 1 });
    const t0 = 1_000_000;
    expect([0, 1, 2].map(() => limiter.take('k', t0).remaining)).toEqual([2, 1, 0]);
    const refused = limiter.take('k', t0);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1, resetSeconds: 3 });
    expect(limiter.take('other', t0).allowed).toBe(true);
    expect(limiter.take('k', t0 + 1_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take('k', t0 + 10_000)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 1 });
  });

  it('says so in the draft RateLimit fields, with Retry-After when refused', () => {
    const limiter = new ApiRateLimiter({ capacity: 120, refillPerSecond: 2 });
    expect(rateLimitHeaders(limiter.take('k', 0))).toEqual({ 'RateLimit-Limit': '120', 'RateLimit-Remaining': '119', 'RateLimit-Reset': '1', 'RateLimit-Policy': '120;w=60' });
    const tight = new ApiRateLimiter({ capacity: 1, refillPerSecond: 1 / 60 });
    tight.take('k', 0);
    expect(rateLimitHeaders(tight.take('k', 0))).toMatchObject({ 'RateLimit-Remaining': '0', 'Retry-After': '60' });
  });

  it('keeps a bounded number of buckets', () => {
    const limiter = new ApiRateLimiter({ capacity: 2, refillPerSecond: 1 }, 100);
    for (let i = 0; i < 1_000; i++) limiter.take(`k${i}`, i);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  it('reads API_RATE_LIMIT_PER_MINUTE', () => {
    expect(apiRateLimitFromEnv({})).toEqual({ capacity: 120, refillPerSecond: 2 });
    expect(apiRateLimitFromEnv({ API_RATE_LIMIT_PER_MINUTE: '600' })).toEqual({ capacity: 600, refillPerSecond: 10 });
    expect(apiRateLimitFromEnv({ API_RATE_LIMIT_PER_MINUTE: 'lots' }).capacity).toBe(120);
  });
});

describe('what the action log keeps', () => {
  it('masks emails to their domain, phones to their last two digits, names to an initial; secrets go', () => {
    expect(
      redactForLog({
        email: 'ada@example.com',
        phone: '+447700900123',
        mobilephone: '07700 900456',
        firstName: 'Ada',
        last_name: 'Lovelace',
        properties: { firstname: 'Ada', lastname: 'Lovelace', hs_object_id: '123' },
        attendee: { name: 'Ada Lovelace', email: 'ada@example.com' },
        calendar: { name: 'Team calendar', id: 'primary' },
        notes: 'Call ada@example.com about 2027-03-01',
        start: '2027-03-01T09:00:00Z',
        access_token: 'ya29.secret',
        phoneNumbers: ['+14155550100', '(415) 555-0199'],
      }),
    ).toEqual({
      email: '***@example.com',
      phone: '***23',
      mobilephone: '***56',
      firstName: 'A***',
      last_name: 'L***',
      properties: { firstname: 'A***', lastname: 'L***', hs_object_id: '123' },
      attendee: { name: 'A***', email: '***@example.com' },
      calendar: { name: 'Team calendar', id: 'primary' },
      notes: 'Call ***@example.com about 2027-03-01',
      start: '2027-03-01T09:00:00Z',
      access_token: '[redacted]',
      phoneNumbers: ['***00', '***99'],
    });
  });

  it('tells phone keys from words that merely end like one', () => {
    for (const key of ['phone', 'Phone', 'MobilePhone', 'phone_number', 'phoneNumber', 'tel', 'fax', 'mobile']) expect(isPhoneKey(key), key).toBe(true);
    for (const key of ['hotel', 'cancel', 'telemetry', 'faxed_at', 'name']) expect(isPhoneKey(key), key).toBe(false);
  });

  it('cuts what is too large to a preview', () => {
    const logged = redactForLog({ raw: 'x'.repeat(MAX_LOGGED_JSON + 10) }) as { truncated: boolean; bytes: number; preview: string };
    expect(logged.truncated).toBe(true);
    expect(logged.bytes).toBeGreaterThan(MAX_LOGGED_JSON);
    expect(logged.preview.length).toBe(2_000);
    expect(redactForLog(undefined)).toBeNull();
  });

  it('masks emails and numbers in error text', () => {
    expect(redactText('Contact ada@example.com (+447700900123) already exists')).toBe('Contact ***@example.com (***23) already exists');
  });
});

describe('phone normalisation of action inputs', () => {
  it('writes phones as E.164 with the default region, at the top level and one level down', () => {
    expect(normalisePhones({ phone: '(415) 555-2671', email: 'a@example.com' }, 'US')).toEqual({ phone: '+14155552671', email: 'a@example.com' });
    expect(normalisePhones({ attendee: { phone: '07700 900123' } }, 'GB')).toEqual({ attendee: { phone: '+447700900123' } });
    expect(normalisePhones({ options: { phone: 'kept as is' } }, 'US')).toEqual({ options: { phone: 'kept as is' } });
    expect(() => normalisePhones({ attendee: { phone: 'nope' } }, 'US')).toThrow(expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ pointer: '/attendee/phone' })] }));
  });
});
