// The helpers provider actions share: slots at a provider's own starts narrowed by the request,
// and reading the options bag.
import { describe, expect, it } from 'vitest';
import { optionList, optionString } from '@/lib/actions/options';
import { slotsAtOfferedStarts } from '@/lib/actions/slots';

const NOW = new Date('2027-06-01T00:00:00Z');
const ms = (iso: string) => Date.parse(iso);

describe('slotsAtOfferedStarts', () => {
  const query = { durationMinutes: 60, timeZone: 'Europe/London', now: NOW };

  it('orders the starts, offers each once, and keeps the provider’s grid (not the request’s step)', () => {
    const starts = ['2027-06-07T10:30:00Z', '2027-06-07T08:15:00Z', '2027-06-07T10:30:00Z'].map(ms);
    expect(slotsAtOfferedStarts(query, starts)).toEqual([
      { start: '2027-06-07T08:15:00Z', end: '2027-06-07T09:15:00Z' },
      { start: '2027-06-07T10:30:00Z', end: '2027-06-07T11:30:00Z' },
    ]);
  });

  it('drops starts outside the request’s working hours (local time) and inside its minimum notice', () => {
    // Monday 7 June 2027, London on BST: 12:00–14:00 local is 11:00–13:00 UTC; an hour-long slot starts by 12:00 UTC.
    const starts = ['2027-06-07T10:30:00Z', '2027-06-07T11:00:00Z', '2027-06-07T12:00:00Z', '2027-06-07T12:30:00Z'].map(ms);
    const workingHours = { days: [1], start: '12:00', end: '14:00' };
    expect(slotsAtOfferedStarts({ ...query, workingHours }, starts).map((slot) => slot.start)).toEqual(['2027-06-07T11:00:00Z', '2027-06-07T12:00:00Z']);
    const now = new Date('2027-06-07T09:00:00Z');
    expect(slotsAtOfferedStarts({ ...query, now, minimumNoticeMinutes: 150 }, starts).map((slot) => slot.start)).toEqual(['2027-06-07T12:00:00Z', '2027-06-07T12:30:00Z']);
  });

  it('offers nothing for no starts', () => {
    expect(slotsAtOfferedStarts(query, [])).toEqual([]);
  });
});

describe('options', () => {
  it('reads a trimmed non-blank string, and nothing for blanks or other types', () => {
    expect(optionString({ calendarId: '  abc ' }, 'calendarId')).toBe('abc');
    expect(optionString({ calendarId: '   ' }, 'calendarId')).toBeUndefined();
    expect(optionString({ calendarId: 3 }, 'calendarId')).toBeUndefined();
    expect(optionString(undefined, 'calendarId')).toBeUndefined();
  });

  it('reads one string or a list as a list, trimmed, without blanks or repeats', () => {
    expect(optionList({ ids: ' a ' }, 'ids')).toEqual(['a']);
    expect(optionList({ ids: ['a', ' b', 'a', ' '] }, 'ids')).toEqual(['a', 'b']);
    expect(optionList({ ids: ['  '] }, 'ids')).toBeUndefined();
    expect(optionList({ ids: true }, 'ids')).toBeUndefined();
    expect(optionList(undefined, 'ids')).toBeUndefined();
  });
});
