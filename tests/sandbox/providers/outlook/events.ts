// Outlook's records in the sandbox: each user's two calendars and the events dataset split across
// them (80% the default "Calendar", 20% "Team", by index), rendered as Graph's event resource
// (https://learn.microsoft.com/graph/api/resources/event) with times in UTC wall-clock form.
// Events written through the API live in the same dataset; a side table gives them their calendar
// and the client's transactionId.
import { DAY_MS, type Dataset, type ResourceSpec } from '../../data';
import { between, email, personName, pick, quarterHour, tag } from '../../data-fake';
import { isoMs } from '../../data-faults';
import { findAccount } from './accounts';

export interface Calendar {
  id: string;
  name: string;
  isDefaultCalendar: boolean;
  canEdit: boolean;
  /** Which generated events are in it: index % 10 in `slots`. */
  slots: number[];
}

/** Graph ids are long opaque base64url strings; these sort in index order as the dataset needs. */
const graphId = (prefix: string, account: string, n: string) => `AAMk${prefix}${tag(`outlook|${account}`)}AAA${n}`;

export function calendarsOf(account: string): Calendar[] {
  return [
    { id: graphId('Cal', account, '0'), name: 'Calendar', isDefaultCalendar: true, canEdit: true, slots: [0, 1, 2, 3, 4, 5, 6, 7] },
    { id: graphId('Cal', account, '1'), name: 'Team', isDefaultCalendar: false, canEdit: true, slots: [8, 9] },
  ];
}

const SUBJECTS = ['Weekly sync', 'Design review', '1:1', 'Sprint planning', 'Customer call', 'Retrospective', 'Lunch', 'Interview', 'Budget review', 'Demo'];
const PLACES = ['Room 1.01', 'Room 2.14', 'Microsoft Teams Meeting', 'Reading office', 'Zoom'];
const RESPONSES = ['accepted', 'none', 'declined', 'tentativelyAccepted'];

export const outlookEventsSpec: ResourceSpec = {
  key: 'outlook.events',
  provider: 'outlook',
  resource: 'events',
  idOf: (index, account) => graphId('Evt', account, String(index).padStart(9, '0')),
  generate(rng, { index, createdAt }) {
    const attendees = Array.from({ length: between(rng, 0, 3) }, (_, n) => {
      const { first, last } = personName(rng);
      return { address: email(first, last, index * 4 + n, rng), name: `${first} ${last}`, response: pick(rng, RESPONSES) };
    });
    return {
      subject: pick(rng, SUBJECTS),
      body: `Agenda ${index.toString(36)}: updates, risks, next steps.`,
      location: pick(rng, PLACES),
      // Created over the past 90 days, happening up to 90 days after creation: -90d..+90d from now.
      start: quarterHour(createdAt + rng() * 90 * DAY_MS),
      minutes: pick(rng, [30, 45, 60, 90]),
      attendees,
      showAs: 'busy',
    };
  },
  update(fields, rng) {
    const subject = fields.subject as string;
    fields.subject = subject.endsWith(' (moved)') ? subject.slice(0, -8) : `${subject} (moved)`;
    fields.location = pick(rng, PLACES);
  },
};

interface Written {
  calendars: Map<number, string>;
  transactions: Map<string, number>;
}
const WRITTEN = new WeakMap<Dataset, Written>();

export function writtenOf(dataset: Dataset): Written {
  let written = WRITTEN.get(dataset);
  if (!written) {
    written = { calendars: new Map(), transactions: new Map() };
    WRITTEN.set(dataset, written);
  }
  return written;
}

export function calendarOf(dataset: Dataset, index: number, calendars: Calendar[]): Calendar {
  const own = WRITTEN.get(dataset)?.calendars.get(index);
  return calendars.find((c) => (own === undefined ? c.slots.includes(index % 10) : c.id === own)) ?? calendars[0];
}

export const inCalendar = (dataset: Dataset, index: number, calendar: Calendar, calendars: Calendar[]) => calendarOf(dataset, index, calendars).id === calendar.id;

export const startOf = (dataset: Dataset, index: number) => dataset.fields(index).start as number;
export const endOf = (dataset: Dataset, index: number) => startOf(dataset, index) + (dataset.fields(index).minutes as number) * 60_000;

/** Busy time: live events not shown as free. */
export const isBusy = (dataset: Dataset, index: number) => !dataset.isDeleted(index) && dataset.fields(index).showAs !== 'free';

/** Graph's dateTimeTimeZone in UTC: wall time with seven fraction digits and no offset. */
export const graphTime = (ms: number) => ({ dateTime: isoMs(ms).replace(/\.(\d{3})Z$/, '.$10000'), timeZone: 'UTC' });

export function renderEvent(dataset: Dataset, index: number) {
  const id = dataset.idOf(index);
  const fields = dataset.fields(index);
  const owner = findAccount(dataset.account);
  const organizer = { emailAddress: { name: owner?.name ?? dataset.account, address: owner?.email ?? dataset.account } };
  const start = startOf(dataset, index);
  const transactionId = [...(WRITTEN.get(dataset)?.transactions.entries() ?? [])].find(([, i]) => i === index)?.[0] ?? null;
  return {
    '@odata.etag': `W/"${Buffer.from(`${id}:${dataset.version[index]}`).toString('base64url').slice(-16)}"`,
    id,
    createdDateTime: isoMs(dataset.createdAt[index]),
    lastModifiedDateTime: isoMs(dataset.updatedAt[index]),
    changeKey: String(dataset.version[index]),
    categories: [],
    transactionId,
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    iCalUId: `040000008200E00074C5B7101A82E008${tag(id)}`,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: fields.subject,
    bodyPreview: fields.body ?? '',
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    responseRequested: true,
    showAs: fields.showAs ?? 'busy',
    type: 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    body: { contentType: 'text', content: fields.body ?? '' },
    start: graphTime(start),
    end: graphTime(endOf(dataset, index)),
    location: { displayName: fields.location ?? '', locationType: 'default' },
    attendees: ((fields.attendees as { address: string; name: string; response: string }[] | undefined) ?? []).map((a) => ({
      type: 'required',
      status: { response: a.response, time: '0001-01-01T00:00:00Z' },
      emailAddress: { name: a.name, address: a.address },
    })),
    organizer,
  };
}
