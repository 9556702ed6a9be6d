// The E.164 fast path must agree with libphonenumber-js whenever it answers; otherwise it defers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phone, rngFor } from '@/tests/sandbox/data-fake';
import { fastE164, slowE164, toE164 } from '@/lib/mapping/phones';

describe('fastE164', () => {
  it('answers for the sandbox’s numbers and for compact E.164, exactly as the library does', () => {
    for (let i = 0; i < 200; i++) {
      const number = phone(rngFor('phones-test', i));
      expect(number).toMatch(/^\+44 7700 900\d{3}$/);
      expect(fastE164(number)).toBe(number.replace(/ /g, ''));
      expect(fastE164(number)).toBe(slowE164(number));
    }
    expect(fastE164('+14155550123')).toBe('+14155550123');
    expect(fastE164('+1 415-555-0123')).toBe('+14155550123');
    expect(fastE164('+49 30.1234567')).toBe('+49301234567');
  });

  it('defers what it cannot decide alone: national prefixes, parentheses, letters, odd spacing', () => {
    for (const text of ['07700 900123', '+44 (0) 7700 900123', '+44 07700 900123', '+7 8 495 123 45 67', '+1 1 415 555 0123', '+44  7700900123', '+44 7700 900123 ext 5', '+ 44 7700 900123', '+447700900123 ']) {
      expect(fastE164(text)).toBeUndefined();
    }
  });

  it('agrees with libphonenumber-js on random international numbers whenever it answers', () => {
    const separator = fc.constantFrom('', '', '', ' ', '-', '.');
    const number = fc
      .tuple(fc.integer({ min: 1, max: 999 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), separator), { minLength: 4, maxLength: 14 }))
      .map(([code, digits]) => `+${code}${digits.map(([d, s], i) => (i === digits.length - 1 ? String(d) : `${d}${s}`)).join('')}`);
    let answered = 0;
    fc.assert(
      fc.property(number, (text) => {
        const fast = fastE164(text);
        if (fast === undefined) return;
        answered++;
        expect(fast).toBe(slowE164(text));
      }),
      { numRuns: 5000 },
    );
    expect(answered).toBeGreaterThan(500);
  });

  it('toE164 falls back to the library for everything else', () => {
    expect(toE164('07700 900123', 'GB')).toBe('+447700900123');
    expect(toE164('07700 900123')).toBeUndefined();
    expect(toE164('+44 (0) 7700 900123')).toBe('+447700900123');
    expect(toE164('x'.repeat(10_000))).toBeUndefined();
  });
});
