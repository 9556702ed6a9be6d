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

const dateTime = (ms: number, timeZone = TIME_ZONE) => ({ dateTime: isoMs(ms).replace('.000Z', 'Z'), timeZone });

/**
 * Events written through the API (events.insert) live in the same dataset as the generated ones,
 * so listings, sync tokens and the change log treat them alike; this side table gives them what the
 * generator cannot: the id the client chose and the calendar it was inserted into. A new dataset
 * (reset, another size) starts with none.
 */
interface Written {
  ids: Map<number, string>;
  indices: Map<string, number>;
  calendars: Map<number, string>;
}

const WRITTEN = new WeakMap<Dataset, Written>();

function writtenOf(dataset: Dataset): Written {
  let written = WRITTEN.get(dataset);
  if (!written) {
    written = { ids: new Map(), indices: new Map(), calendars: new Map() };
    WRITTEN.set(dataset, written);
  }
  return written;
}

/** The event's id: the client's for an inserted event, else the generated one. */
export function eventIdOf(dataset: Dataset, index: number): string {
  return WRITTEN.get(dataset)?.ids.get(index) ?? dataset.idOf(index);
}

/** The index of the event with this id, deleted ones included (ids are never reused). */
export function findEvent(dataset: Dataset, id: string): number | undefined {
  const written = WRITTEN.get(dataset);
  const own = written?.indices.get(id);
  if (own !== undefined) return own;
  const index = dataset.indexOf(id);
  // An inserted event's index also has a generated id, which names nothing.
  return index === undefined || written?.ids.has(index) ? undefined : index;
}

export const inCalendar = (dataset: Dataset, index: number, calendar: Calendar) => {
  const id = WRITTEN.get(dataset)?.calendars.get(index);
  return id === undefined ? calendar.slots.includes(index % 10) : id === calendar.id;
};

/** What an insert stores: the fields renderEvent reads (start in ms, length in minutes). */
export interface EventFields {
  summary?: string;
  description?: string;
  location?: string;
  start: number;
  minutes: number;
  timeZone: string;
  attendees?: { email: string; displayName?: string; responseStatus: string }[];
  transparency?: 'opaque' | 'transparent';
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
}

/** Inserts an event with the client's id into a calendar; the change log records it as created. */
export function insertEvent(dataset: Dataset, tick: number, id: string, calendar: Calendar, fields: EventFields): number {
  const index = dataset.create(tick);
  const written = writtenOf(dataset);
  written.ids.set(index, id);
  written.indices.set(id, index);
  written.calendars.set(index, calendar.id);
  replaceFields(dataset, index, fields);
  return index;
}

function replaceFields(dataset: Dataset, index: number, fields: object) {
  const stored = dataset.fields(index);
  for (const key of Object.keys(stored)) delete stored[key];
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) stored[key] = value;
}

/** A client's edit (events.patch): a new version and stamp in the change log, with exactly these changes. */
export function editEvent(dataset: Dataset, tick: number, index: number, changes: Partial<EventFields>) {
  const before = { ...dataset.fields(index) };
  // Dataset.update bumps the version and logs the change; its generated edit is then replaced.
  dataset.update(index, tick);
  replaceFields(dataset, index, { ...before, ...changes });
}

/** Busy time: live events that are not marked free (transparent). */
export function isBusy(dataset: Dataset, index: number): boolean {
  return !dataset.isDeleted(index) && dataset.fields(index).transparency !== 'transparent';
}

/**
 * The event as the Calendar API shows it. Listings show a deleted event as a bare tombstone; `get`
 * always returns the whole event, status "cancelled" (`full`).
 */
export function renderEvent(dataset: Dataset, index: number, calendar: Calendar, options: { full?: boolean } = {}) {
  const id = eventIdOf(dataset, index);
  const etag = `"${dataset.updatedAt[index] * 1000}"`;
  const deleted = dataset.isDeleted(index);
  if (deleted && !options.full) return { kind: 'calendar#event', etag, id, status: 'cancelled' };
  const fields = dataset.fields(index);
  const start = fields.start as number;
  const timeZone = (fields.timeZone as string | undefined) ?? TIME_ZONE;
  const organizer = calendar.primary ? { email: calendar.id, self: true } : { email: calendar.id, displayName: calendar.summary };
  return {
    kind: 'calendar#event',
    etag,
    id,
    status: deleted ? 'cancelled' : 'confirmed',
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendar.id}`).toString('base64url')}`,
    created: isoMs(dataset.createdAt[index]),
    updated: isoMs(dataset.updatedAt[index]),
    summary: fields.summary,
    description: fields.description,
    location: fields.location,
    creator: { email: dataset.account },
    organizer,
    start: dateTime(start, timeZone),
    end: dateTime(start + (fields.minutes as number) * 60_000, timeZone),
    // Google leaves out the default (opaque).
    ...(fields.transparency === 'transparent' ? { transparency: 'transparent' } : {}),
    iCalUID: `${id}@google.com`,
    sequence: dataset.version[index] - 1,
    attendees: fields.attendees,
    ...(fields.extendedProperties ? { extendedProperties: fields.extendedProperties } : {}),
    reminders: { useDefault: true },
    eventType: 'default',
  };
}

export const TIME_ZONE_NAME = TIME_ZONE;
