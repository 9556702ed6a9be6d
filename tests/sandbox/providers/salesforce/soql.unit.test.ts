// SOQL literal escaping (the salesforce resources build every query with it). (Moved from tests/unit/soql.test.ts.)
import { describe, expect, it } from 'vitest';
import { soqlDateTime, soqlIdentifier, soqlString } from '@/lib/providers/salesforce/soql';

describe('SOQL literals', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(soqlString("O'Brien")).toBe("'O\\'Brien'");
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
    expect(soqlString('say "hi"\n\tnow')).toBe(`'say \\"hi\\"\\n\\tnow'`);
  });

  it('keeps an injection attempt inside the literal', () => {
    const literal = soqlString("x' OR Name != '");
    expect(literal).toBe("'x\\' OR Name != \\''");
    // Unescaped quotes remain only at the two ends.
    expect(literal.replace(/\\'/g, '').match(/'/g)).toHaveLength(2);
  });

  it('accepts only well-formed datetimes, unquoted', () => {
    expect(soqlDateTime('2026-11-01T10:00:00.000Z')).toBe('2026-11-01T10:00:00.000Z');
    expect(soqlDateTime(new Date('2026-11-01T10:00:00Z'))).toBe('2026-11-01T10:00:00.000Z');
    expect(() => soqlDateTime("2026-11-01T10:00:00Z OR Id != null")).toThrow(/Not a SOQL datetime/);
    expect(() => soqlDateTime('2026-13-45T99:00:00Z')).toThrow();
  });

  it('accepts identifiers and custom fields, nothing else', () => {
    expect(soqlIdentifier('SystemModstamp')).toBe('SystemModstamp');
    expect(soqlIdentifier('Region__c')).toBe('Region__c');
    expect(() => soqlIdentifier('Name FROM User --')).toThrow();
  });
});
