import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { busyWindow, freeSlots, isFree, mergeSpans, type SlotQuery } from '@/lib/actions/slots';

const NOW = new Date('2027-01-01T00:00:00Z');
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

function slots(query: Partial<SlotQuery> & Pick<SlotQuery, 'start' | 'end'>) {
  return freeSlots({ durationMinutes: 60, timeZone: 'UTC', now: NOW, busy: [], ...query });
}
const starts = (query: Parameters<typeof slots>[0]) => slots(query).map((slot) => slot.start);

/** A slot's start as the zone's clock shows it, with the offset (to tell 01:00 BST from 01:00 GMT). */
const local = (iso: string, zone: string) => Temporal.Instant.from(iso).toZonedDateTimeISO(zone).toString({ timeZoneName: 'never', smallestUnit: 'minute' });
const weekday = (date: string) => Temporal.PlainDate.from(date).dayOfWeek;

describe('working hours in a zone', () => {
  it('turns wall-clock hours into UTC instants per local day and weekday', () => {
    // Monday 7 June 2027, London on BST (UTC+1).
    expect(weekday('2027-06-07')).toBe(1);
    expect(starts({ start: '2027-06-05T00:00:00Z', end: '2027-06-08T00:00:00Z', timeZone: 'Europe/London', workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' } })).toEqual([
      '2027-06-07T08:00:00Z',
      '2027-06-07T09:00:00Z',
      '2027-06-07T10:00:00Z',
    ]);
    // New York in winter is UTC−5.
    expect(starts({ start: '2027-01-04T00:00:00Z', end: '2027-01-05T00:00:00Z', timeZone: 'America/New_York', workingHours: { days: [1], start: '09:00', end: '11:00' } })).toEqual([
      '2027-01-04T14:00:00Z',
      '2027-01-04T15:00:00Z',
    ]);
  });

  it('aligns slots to the step from the start of each working period, not the window', () => {
    expect(
      starts({ start: '2027-01-04T09:10:00Z', end: '2027-01-04T18:00:00Z', timeZone: 'Europe/London', workingHours: { days: [1], start: '09:00', end: '12:00' } }),
    ).toEqual(['2027-01-04T10:00:00Z', '2027-01-04T11:00:00Z']);
    expect(
      starts({ start: '2027-01-04T00:00:00Z', end: '2027-01-05T00:00:00Z', durationMinutes: 45, stepMinutes: 30, timeZone: 'Europe/London', workingHours: { days: [1], start: '09:15', end: '11:00' } }),
    ).toEqual(['2027-01-04T09:15:00Z', '2027-01-04T09:45:00Z', '2027-01-04T10:15:00Z']);
  });

  it('without working hours, uses the whole window, stepping from its start', () => {
    expect(starts({ start: '2027-01-04T09:10:00Z', end: '2027-01-04T11:00:00Z', durationMinutes: 30 })).toEqual([
      '2027-01-04T09:10:00Z',
      '2027-01-04T09:40:00Z',
      '2027-01-04T10:10:00Z',
    ]);
  });

  it('answers slots as UTC instants ending within the window', () => {
    const found = slots({ start: '2027-06-07T10:00:00+02:00', end: '2027-06-07T12:30:00+02:00' });
    expect(found).toEqual([
      { start: '2027-06-07T08:00:00Z', end: '2027-06-07T09:00:00Z' },
      { start: '2027-06-07T09:00:00Z', end: '2027-06-07T10:00:00Z' },
    ]);
  });

  it('refuses an unknown zone', () => {
    expect(() => slots({ start: '2027-01-04T00:00:00Z', end: '2027-01-05T00:00:00Z', timeZone: 'Mars/Olympus', workingHours: { days: [1], start: '09:00', end: '10:00' } })).toThrow(RangeError);
  });
});

describe('DST: Europe/London', () => {
  const london = (day: string, start: string, end: string, extra: Partial<SlotQuery> = {}) =>
    starts({
      start: `${day}T00:00:00Z`,
      end: Temporal.PlainDate.from(day).add({ days: 2 }).toString() + 'T00:00:00Z',
      timeZone: 'Europe/London',
      workingHours: { days: [weekday(day)], start, end },
      ...extra,
    });

  it('spring forward (2027-03-28): 09:00–17:00 is 8 real hours, on BST', () => {
    expect(weekday('2027-03-28')).toBe(7);
    const found = starts({ start: '2027-03-27T00:00:00Z', end: '2027-03-30T00:00:00Z', timeZone: 'Europe/London', workingHours: { days: [7], start: '09:00', end: '17:00' } });
    expect(found).toHaveLength(8);
    expect(found[0]).toBe('2027-03-28T08:00:00Z');
    expect(found.at(-1)).toBe('2027-03-28T15:00:00Z');
    // A week earlier the same hours were on GMT.
    expect(london('2027-03-21', '09:00', '17:00')[0]).toBe('2027-03-21T09:00:00Z');
  });

  it('spring forward: a period across the gap is an hour shorter and no slot starts in the skipped hour', () => {
    const found = london('2027-03-28', '00:00', '04:00');
    expect(found).toEqual(['2027-03-28T00:00:00Z', '2027-03-28T01:00:00Z', '2027-03-28T02:00:00Z']);
    expect(found.map((start) => local(start, 'Europe/London'))).toEqual(['2027-03-28T00:00+00:00', '2027-03-28T02:00+01:00', '2027-03-28T03:00+01:00']);
    // Fine steps across the gap: never a wall-clock 01:xx.
    const fine = london('2027-03-28', '00:00', '04:00', { durationMinutes: 15 });
    expect(fine).toHaveLength(12);
    expect(fine.map((start) => local(start, 'Europe/London')).filter((time) => time.includes('T01:'))).toEqual([]);
  });

  it('spring forward: a working-hours bound inside the gap moves forward by the gap', () => {
    // 01:30 does not exist that day: the period runs 02:30–03:30 BST.
    expect(london('2027-03-28', '01:30', '03:30', { durationMinutes: 30 })).toEqual(['2027-03-28T01:30:00Z', '2027-03-28T02:00:00Z']);
  });

  it('fall back (2027-10-31): 09:00–17:00 is 8 real hours, on GMT', () => {
    expect(weekday('2027-10-31')).toBe(7);
    const found = london('2027-10-31', '09:00', '17:00');
    expect(found).toHaveLength(8);
    expect(found[0]).toBe('2027-10-31T09:00:00Z');
    expect(london('2027-10-24', '09:00', '17:00')[0]).toBe('2027-10-24T08:00:00Z');
  });

  it('fall back: the repeated hour gives two distinct slots, none duplicated or missing', () => {
    const found = starts({ start: '2027-10-30T00:00:00Z', end: '2027-11-01T00:00:00Z', timeZone: 'Europe/London', workingHours: { days: [7], start: '00:00', end: '04:00' } });
    // 00:00 BST to 04:00 GMT is five real hours.
    expect(found).toEqual(['2027-10-30T23:00:00Z', '2027-10-31T00:00:00Z', '2027-10-31T01:00:00Z', '2027-10-31T02:00:00Z', '2027-10-31T03:00:00Z']);
    expect(new Set(found).size).toBe(found.length);
    expect(found.map((start) => local(start, 'Europe/London'))).toEqual([
      '2027-10-31T00:00+01:00',
      '2027-10-31T01:00+01:00',
      '2027-10-31T01:00+00:00',
      '2027-10-31T02:00+00:00',
      '2027-10-31T03:00+00:00',
    ]);
  });

  it('fall back: an ambiguous start takes the earlier instant, an ambiguous end the later one', () => {
    // 01:00–01:30 happens twice: from 01:00 BST to 01:30 GMT is 90 minutes.
    expect(london('2027-10-31', '01:00', '01:30', { durationMinutes: 30 })).toEqual(['2027-10-31T00:00:00Z', '2027-10-31T00:30:00Z', '2027-10-31T01:00:00Z']);
  });

  it('a slot window straddling the change without working hours steps in real time', () => {
    expect(starts({ start: '2027-03-28T00:00:00Z', end: '2027-03-28T03:00:00Z', timeZone: 'Europe/London' })).toEqual([
      '2027-03-28T00:00:00Z',
      '2027-03-28T01:00:00Z',
      '2027-03-28T02:00:00Z',
    ]);
  });
});

describe('DST: America/New_York', () => {
  const newYork = (day: string, start: string, end: string, durationMinutes = 60) =>
    starts({
      start: `${day}T00:00:00Z`,
      end: Temporal.PlainDate.from(day).add({ days: 2 }).toString() + 'T00:00:00Z',
      timeZone: 'America/New_York',
      durationMinutes,
      workingHours: { days: [weekday(day)], start, end },
    });

  it('spring forward (2027-03-14): 02:00 does not exist, 09:00–17:00 is 8 hours on EDT', () => {
    expect(weekday('2027-03-14')).toBe(7);
    expect(newYork('2027-03-14', '02:00', '04:00')).toEqual(['2027-03-14T07:00:00Z']);
    const day = newYork('2027-03-14', '09:00', '17:00');
    expect(day).toHaveLength(8);
    expect(day[0]).toBe('2027-03-14T13:00:00Z');
  });

  it('fall back (2027-11-07): 01:00–02:00 is two real hours', () => {
    expect(weekday('2027-11-07')).toBe(7);
    const found = newYork('2027-11-07', '01:00', '02:00');
    expect(found).toEqual(['2027-11-07T05:00:00Z', '2027-11-07T06:00:00Z']);
    expect(found.map((start) => local(start, 'America/New_York'))).toEqual(['2027-11-07T01:00-04:00', '2027-11-07T01:00-05:00']);
    expect(newYork('2027-11-07', '09:00', '17:00')[0]).toBe('2027-11-07T14:00:00Z');
  });
});

describe('busy time, buffers and notice', () => {
  const window = { start: '2027-01-04T08:00:00Z', end: '2027-01-04T14:00:00Z' };
  const meeting = [{ start: '2027-01-04T10:00:00Z', end: '2027-01-04T11:00:00Z' }];

  it('skips slots that meet busy time; a slot may touch it', () => {
    expect(starts({ ...window, busy: meeting })).toEqual(['2027-01-04T08:00:00Z', '2027-01-04T09:00:00Z', '2027-01-04T11:00:00Z', '2027-01-04T12:00:00Z', '2027-01-04T13:00:00Z']);
  });

  it('buffers extend each busy block: free time before and after every slot', () => {
    // 09:00 needs 10:00–10:30 free after it; 11:00 needs 10:45–11:00 free before it.
    expect(starts({ ...window, busy: meeting, bufferBeforeMinutes: 15, bufferAfterMinutes: 30 })).toEqual([
      '2027-01-04T08:00:00Z',
      '2027-01-04T12:00:00Z',
      '2027-01-04T13:00:00Z',
    ]);
    // Buffers reach outside the window: the busy time to ask for is the window widened by them.
    expect(busyWindow({ ...window, bufferBeforeMinutes: 15, bufferAfterMinutes: 30 })).toEqual({ start: '2027-01-04T07:45:00Z', end: '2027-01-04T14:30:00Z' });
    expect(starts({ ...window, busy: [{ start: '2027-01-04T07:30:00Z', end: '2027-01-04T07:50:00Z' }], bufferBeforeMinutes: 15 })[0]).toBe('2027-01-04T09:00:00Z');
  });

  it('minimum notice counts from now and keeps slots on the grid', () => {
    const now = new Date('2027-01-04T08:20:00Z');
    expect(starts({ ...window, now, minimumNoticeMinutes: 60 })[0]).toBe('2027-01-04T10:00:00Z');
    expect(starts({ ...window, now, minimumNoticeMinutes: 60, stepMinutes: 30 })[0]).toBe('2027-01-04T09:30:00Z');
    expect(starts({ ...window, now: new Date('2027-01-05T00:00:00Z') })).toEqual([]);
  });

  it('merges overlapping, adjacent and unsorted busy blocks', () => {
    const busy = [
      { start: '2027-01-04T10:30:00Z', end: '2027-01-04T11:00:00Z' },
      { start: '2027-01-04T09:00:00Z', end: '2027-01-04T10:00:00Z' },
      { start: '2027-01-04T09:30:00+00:00', end: '2027-01-04T10:30:00Z' },
    ];
    expect(starts({ ...window, end: '2027-01-04T12:00:00Z', durationMinutes: 30, busy })).toEqual([
      '2027-01-04T08:00:00Z',
      '2027-01-04T08:30:00Z',
      '2027-01-04T11:00:00Z',
      '2027-01-04T11:30:00Z',
    ]);
    expect(mergeSpans([{ start: 5, end: 6 }, { start: 1, end: 3 }, { start: 3, end: 4 }, { start: 2, end: 2 }])).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 6 },
    ]);
    expect(isFree(busy, { start: '2027-01-04T11:00:00Z', end: '2027-01-04T12:00:00Z' })).toBe(true);
    expect(isFree(busy, { start: '2027-01-04T10:59:00Z', end: '2027-01-04T12:00:00Z' })).toBe(false);
  });
});

describe('windows across midnight', () => {
  it('whole-window slots run through midnight', () => {
    expect(starts({ start: '2027-06-01T22:00:00Z', end: '2027-06-02T02:00:00Z', timeZone: 'Europe/London' })).toEqual([
      '2027-06-01T22:00:00Z',
      '2027-06-01T23:00:00Z',
      '2027-06-02T00:00:00Z',
      '2027-06-02T01:00:00Z',
    ]);
  });

  it('overnight working hours end on the next day, and a period from the day before the window counts', () => {
    const hours = { days: EVERY_DAY, start: '22:00', end: '02:00' };
    // 21:00 BST on 1 June to 04:00 BST on 2 June: the period 22:00–02:00 BST.
    expect(starts({ start: '2027-06-01T20:00:00Z', end: '2027-06-02T03:00:00Z', timeZone: 'Europe/London', workingHours: hours })).toEqual([
      '2027-06-01T21:00:00Z',
      '2027-06-01T22:00:00Z',
      '2027-06-01T23:00:00Z',
      '2027-06-02T00:00:00Z',
    ]);
    // A window opening after midnight still sees the period that started the evening before.
    expect(starts({ start: '2027-06-01T23:30:00Z', end: '2027-06-02T03:00:00Z', timeZone: 'Europe/London', workingHours: { ...hours, days: [weekday('2027-06-01')] } })).toEqual([
      '2027-06-02T00:00:00Z',
    ]);
  });

  it('a day-of-week belongs to the zone: Monday in Tokyo starts on Sunday in UTC', () => {
    expect(starts({ start: '2027-01-03T00:00:00Z', end: '2027-01-05T00:00:00Z', timeZone: 'Asia/Tokyo', workingHours: { days: [1], start: '00:00', end: '02:00' } })).toEqual([
      '2027-01-03T15:00:00Z',
      '2027-01-03T16:00:00Z',
    ]);
  });
});

describe('properties', () => {
  it('slots lie in the window and working periods, keep clear of busy time with buffers, and never repeat', () => {
    const base = Date.parse('2027-03-20T00:00:00Z');
    const busyArb = fc.array(
      fc.record({ at: fc.integer({ min: 0, max: 20 * 24 * 60 }), minutes: fc.integer({ min: 1, max: 600 }) }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'UTC'),
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        fc.integer({ min: 60, max: 6 * 24 * 60 }),
        fc.constantFrom(15, 30, 45, 60, 90),
        fc.constantFrom(5, 15, 30, 60),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        busyArb,
        fc.boolean(),
        (zone, offset, length, duration, step, before, after, busyRaw, withHours) => {
          const iso = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
          const busy = busyRaw.map((b) => ({ start: iso(b.at), end: iso(b.at + b.minutes) }));
          const query: SlotQuery = {
            start: iso(offset),
            end: iso(offset + length),
            durationMinutes: duration,
            stepMinutes: step,
            timeZone: zone,
            workingHours: withHours ? { days: [1, 2, 3, 4, 5, 7], start: '01:30', end: '17:15' } : undefined,
            bufferBeforeMinutes: before,
            bufferAfterMinutes: after,
            now: new Date(base),
            busy,
          };
          const found = freeSlots(query);
          const ms = found.map((slot) => ({ start: Date.parse(slot.start), end: Date.parse(slot.end) }));
          const busyMs = busy.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }));
          return ms.every((slot, i) => {
            const clock = Temporal.Instant.fromEpochMilliseconds(slot.start).toZonedDateTimeISO(zone);
            return (
              slot.end - slot.start === duration * 60_000 &&
              slot.start >= Date.parse(query.start) &&
              slot.end <= Date.parse(query.end) &&
              (i === 0 || slot.start > ms[i - 1].start) &&
              busyMs.every((b) => b.end <= slot.start - before * 60_000 || b.start >= slot.end + after * 60_000) &&
              (!withHours || (Temporal.PlainTime.compare(clock.toPlainTime(), Temporal.PlainTime.from('01:30')) >= 0 && clock.dayOfWeek !== 6))
            );
          });
        },
      ),
      { numRuns: 100 },
    );
  }, 30_000);
});
