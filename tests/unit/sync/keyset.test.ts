// Keyset cursors and page cutting (lib/db/keyset.ts), and the record search's query text
// (lib/sync/history.ts): pure functions, no database.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, finishPage } from '@/lib/db/keyset';
import { HttpError } from '@/lib/http/errors';
import { recordSearchQuery } from '@/lib/sync/history';

const uuid = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('keyset cursors', () => {
  it('round-trips any position exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.uuid({ version: 4 }), (micros, id) => {
        expect(decodeCursor(encodeCursor({ micros, id }))).toEqual({ micros, id });
      }),
    );
  });

  it('refuses anything it did not give out with a 400', () => {
    for (const cursor of ['', 'zero', Buffer.from('[1.5,"x"]').toString('base64url'), Buffer.from(`[1,"${uuid}' or 1=1"]`).toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      expect(() => decodeCursor(cursor)).toThrow(HttpError);
    }
  });

  it('cuts a page and points both ways', () => {
    const rows = [5, 4, 3].map((n) => ({ id: `${uuid.slice(0, -1)}${n}`, cursorMicros: n * 1_000 }));
    const first = finishPage(rows, { pageSize: 2 }, 'after');
    expect(first.rows.map((r) => r.id)).toEqual([rows[0].id, rows[1].id]);
    expect(first.prevCursor).toBeNull();
    expect(decodeCursor(first.nextCursor!)).toEqual({ micros: 4_000, id: rows[1].id });
    // Read upwards (ascending) from a cursor: the page comes back newest first.
    const back = finishPage([...rows].reverse(), { pageSize: 2, before: 'x' }, 'before');
    expect(back.rows.map((r) => r.id)).toEqual([rows[1].id, rows[2].id]);
    expect(decodeCursor(back.prevCursor!)).toEqual({ micros: 4_000, id: rows[1].id });
    expect(decodeCursor(back.nextCursor!)).toEqual({ micros: 3_000, id: rows[2].id });
    const last = finishPage(rows.slice(2), { pageSize: 2, after: 'x' }, 'after');
    expect(last.nextCursor).toBeNull();
    expect(last.prevCursor).not.toBeNull();
  });
});

describe('record search query text', () => {
  it('makes every word required: plain words as prefixes, emails and ids whole', () => {
    expect(recordSearchQuery('  Ada   LOVELACE ')).toBe("'ada':* & 'lovelace':*");
    expect(recordSearchQuery('ada@example.com')).toBe("'ada@example.com'");
    expect(recordSearchQuery('rec-42 Zoë')).toBe("'rec-42' & 'zoë':*");
    expect(recordSearchQuery('   ')).toBeNull();
  });

  it('keeps quotes and backslashes inside the quoted word', () => {
    expect(recordSearchQuery("o'brien")).toBe("'o''brien'");
    expect(recordSearchQuery('a\\b')).toBe("'a\\\\b'");
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim().length > 0), (text) => {
        const query = recordSearchQuery(text)!;
        // Outside the quoted words there is nothing but ' & ' and ':*'.
        expect(query.replace(/'(?:[^']|'')*'(?::\*)?/g, 'W')).toMatch(/^W( & W)*$/);
      }),
    );
  });
});
