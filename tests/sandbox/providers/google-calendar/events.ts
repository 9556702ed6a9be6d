// Google Calendar's records: the user's three calendars and the events dataset split across them
// (60% primary, 30% team, 10% holidays, by index), rendered as the Calendar API v3 does.
import { DAY_MS, type Dataset, type ResourceSpec } from '../../data';
import { between, email, personName, pick, quarterHour, tag } from '../../data-fake';
import { isoMs } from '../../data-faults';
import { findAccount } from './accounts';

const TIME_ZONE = 'Europe/London';

export interface Calendar {
  id: string;
  summary: string;
  accessRole: 'owner' | 'writer' | 'reader';
  primary?: true;
  /** Which events are in it: index % 10 in `slots`. */
  slots: number[];
}

export function calendarsOf(account: string): Calendar[] {
  const email = findAccount(account)?.email ?? account;
  const hash = tag(`calendar|${account}`);
  return [
    { id: email, summary: email, accessRole: 'owner', primary: true, slots: [0, 1, 2, 3, 4, 5] },
    { id: `team-${hash}@group.calendar.google.com`, summary: 'Team', accessRole: 'writer', slots: [6, 7, 8] },
    { id: `holidays-${hash}@group.calendar.google.com`, summary: 'Holidays in the United Kingdom', accessRole: 'reader', slots: [9] },
  ];
}

export const calendarOfEvent = (index: number, calendars: Calendar[]): Calendar =>
  calendars.find((calendar) => calendar.slots.includes(index % 10)) as Calendar;

const MEETINGS = ['Weekly sync', 'Design review', '1:1', 'Sprint planning', 'Customer call', 'Retrospective', 'Lunch', 'Interview', 'Budget review', 'Demo'];
const HOLIDAYS = ["New Year's Day", 'Good Friday', 'Easter Monday', 'Early May bank holiday', 'Spring bank holiday', 'Summer bank holiday', 'Christmas Day', 'Boxing Day'];
const PLACES = ['Room 1.01', 'Room 2.14', 'Google Meet', 'Kings Cross office', 'Café Nero, Euston Road', 'Zoom'];
const RESPONSES = ['accepted', 'needsAction', 'declined', 'tentative'];

export const googleEventsSpec: ResourceSpec = {
  key: 'google-calendar.events',
  provider: 'google-calendar',
  resource: 'events',
  // Event ids are base32hex (a-v, 0-9); zero-padding keeps id order = index order.
  idOf: (index) => `evt${String(index).padStart(9, '0')}`,
  generate(rng, { index, createdAt }) {
    const holiday = index % 10 === 9;
    const attendees = holiday
      ? []
      : Array.from({ length: between(rng, 0, 3) }, (_, n) => {
          const { first, last } = personName(rng);
          return { email: email(first, last, index * 4 + n, rng), responseStatus: pick(rng, RESPONSES) };
        });
    return {
      summary: holiday ? pick(rng, HOLIDAYS) : pick(rng, MEETINGS),
      description: holiday ? 'Public holiday' : `Agenda ${index.toString(36)}: updates, risks, next steps.`,
      location: holiday ? '' : pick(rng, PLACES),
      // Created over the past 90 days, happening up to 90 days after creation: -90d..+90d from now.
      start: quarterHour(createdAt + rng() * 90 * DAY_MS),
      minutes: holiday ? 24 * 60 : pick(rng, [30, 45, 60, 90]),
      attendees,
    };
  },
  update(fields, rng) {
    const summary = fields.summary as string;
    fields.summary = summary.endsWith(' (moved)') ? summary.slice(0, -8) : `${summary} (moved)`;
    fields.location = pick(rng, PLACES);
  },
};

const dateTime = (ms: number) => ({ dateTime: isoMs(ms).replace('.000Z', 'Z'), timeZone: TIME_ZONE });

export function renderEvent(dataset: Dataset, index: number, calendar: Calendar) {
  const id = dataset.idOf(index);
  const etag = `"${dataset.updatedAt[index] * 1000}"`;
  if (dataset.isDeleted(index)) return { kind: 'calendar#event', etag, id, status: 'cancelled' };
  const fields = dataset.fields(index);
  const start = fields.start as number;
  const organizer = calendar.primary ? { email: calendar.id, self: true } : { email: calendar.id, displayName: calendar.summary };
  return {
    kind: 'calendar#event',
    etag,
    id,
    status: 'confirmed',
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendar.id}`).toString('base64url')}`,
    created: isoMs(dataset.createdAt[index]),
    updated: isoMs(dataset.updatedAt[index]),
    summary: fields.summary,
    description: fields.description,
    location: fields.location,
    creator: { email: dataset.account },
    organizer,
    start: dateTime(start),
    end: dateTime(start + (fields.minutes as number) * 60_000),
    iCalUID: `${id}@google.com`,
    sequence: dataset.version[index] - 1,
    attendees: fields.attendees,
    reminders: { useDefault: true },
    eventType: 'default',
  };
}

export const TIME_ZONE_NAME = TIME_ZONE;
