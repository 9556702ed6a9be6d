// The actions the hub can take on a provider, each with one unified input and output shape built
// on the mapping model (lib/mapping/model.ts). One registry (ACTIONS) feeds the /api/v1 routes,
// the OpenAPI document, the MCP tools and the Try it panel; providers implement what they can in
// their own folder (ProviderDefinition.actions). Every output carries the provider's raw answer.
import { z } from 'zod';
import { Appointment, Contact, Issue, Message } from '../mapping/model';

/** Text from outside: bounded, and never a NUL (PostgreSQL text cannot hold one). */
const text = (max = 500) => z.string().trim().min(1).max(max).refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');

const isoInstant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with a zone offset, e.g. 2027-03-01T09:00:00Z' });
const ianaZone = text(64).refine(isIanaZone, 'expected an IANA time zone, e.g. Europe/London');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Provider-specific choices an action may need (a Square location or service variation, the Google
 * calendars to check). Each provider documents the keys it reads; unknown keys are ignored.
 */
const options = z.record(z.string().max(64), z.union([z.string().max(500), z.array(z.string().max(500)).max(50), z.number(), z.boolean()])).optional();

/** A contact as an action returns it: the model's shape, where it lives, and what the provider said. */
export const ContactResult = z.object({
  contact: Contact,
  /** The provider resource it belongs to (`contacts`, `leads`, `customers`, `clients`). */
  resource: z.string(),
  raw: z.unknown(),
});

export const AppointmentResult = z.object({
  appointment: Appointment,
  resource: z.string(),
  raw: z.unknown(),
});

export const MessageResult = z.object({
  message: Message,
  /** The provider resource it belongs to (`messages`, `drafts`). */
  resource: z.string(),
  raw: z.unknown(),
});

export const IssueResult = z.object({
  issue: Issue,
  resource: z.string(),
  raw: z.unknown(),
});

export const Slot = z.object({ start: isoInstant, end: isoInstant });

const workingHours = z.object({
  /** ISO weekdays: 1 Monday … 7 Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  start: hhmm,
  end: hhmm,
});

const attendee = z
  .object({ name: text(200).optional(), email: z.email().max(254).optional(), phone: text(40).optional() })
  .refine((a) => a.email !== undefined || a.phone !== undefined, { message: 'an attendee needs an email or a phone', path: ['email'] });

export const lookupInput = z
  .object({
    /** Any format; normalised to E.164 with the workspace's default region. */
    phone: text(40).optional(),
    email: z.email().max(254).optional(),
  })
  .refine((input) => input.phone !== undefined || input.email !== undefined, { message: 'give a phone, an email, or both', path: ['phone'] });

export const createContactInput = z
  .object({
    firstName: text(200).optional(),
    lastName: text(200).optional(),
    email: z.email().max(254).optional(),
    phone: text(40).optional(),
    company: text(200).optional(),
    jobTitle: text(200).optional(),
    notes: text(2000).optional(),
    options,
  })
  .refine((input) => input.phone !== undefined || input.email !== undefined, { message: 'a contact needs an email or a phone', path: ['email'] });

export const availabilityInput = z
  .object({
    start: isoInstant,
    end: isoInstant,
    durationMinutes: z.number().int().min(5).max(24 * 60),
    timeZone: ianaZone,
    /** Absent: any time of day, every day. */
    workingHours: workingHours.optional(),
    bufferBeforeMinutes: z.number().int().min(0).max(24 * 60).default(0),
    bufferAfterMinutes: z.number().int().min(0).max(24 * 60).default(0),
    /** No slot starts sooner than this after now. */
    minimumNoticeMinutes: z.number().int().min(0).max(90 * 24 * 60).default(0),
    /** Slots start on multiples of this many minutes from the window's start (default: the duration). */
    stepMinutes: z.number().int().min(5).max(24 * 60).optional(),
    options,
  })
  .refine((input) => Date.parse(input.end) > Date.parse(input.start), { message: 'end must be after start', path: ['end'] })
  .refine((input) => Date.parse(input.end) - Date.parse(input.start) <= 62 * 24 * 3600 * 1000, {
    message: 'the window may span at most 62 days',
    path: ['end'],
  });

export const createAppointmentInput = z.object({
  start: isoInstant,
  durationMinutes: z.number().int().min(5).max(24 * 60),
  timeZone: ianaZone,
  title: text(300),
  description: text(4000).optional(),
  attendee,
  options,
});

export const cancelAppointmentInput = z.object({
  appointmentId: text(300),
  reason: text(1000).optional(),
  options,
});

export const rescheduleAppointmentInput = z.object({
  appointmentId: text(300),
  start: isoInstant,
  durationMinutes: z.number().int().min(5).max(24 * 60),
  timeZone: ianaZone,
  options,
});

/**
 * A message to send: an email (recipients are addresses), a chat post (the one recipient is a
 * channel or chat id). The text is plain: a provider that sends markup (Telegram's HTML) escapes it.
 */
export const sendMessageInput = z.object({
  to: z.array(text(320)).min(1).max(50),
  cc: z.array(z.email().max(254)).max(50).optional(),
  bcc: z.array(z.email().max(254)).max(50).optional(),
  subject: text(998).optional(),
  text: text(20_000),
  /** Reply within this thread (a Gmail thread id, a Slack thread ts, a Telegram message id). */
  threadId: text(300).optional(),
  options,
});

export const getMessageInput = z.object({
  /** The message's id at the provider (a record's external id). */
  messageId: text(300),
  options,
});

const repository = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, 'expected owner/name, e.g. octo-org/website');

export const createIssueInput = z.object({
  repository,
  title: text(256),
  body: text(65_536).optional(),
  labels: z.array(text(50)).max(20).optional(),
  assignees: z.array(text(39)).max(10).optional(),
  options,
});

export const commentOnIssueInput = z.object({
  repository,
  /** An issue's or a pull request's number. */
  number: z.number().int().min(1),
  body: text(65_536),
  options,
});

export const listIssuesInput = z.object({
  repository,
  kind: z.enum(['issue', 'pull_request']).default('issue'),
  state: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.number().int().min(1).max(100).default(30),
  options,
});

export const IssueComment = z.object({
  externalId: z.string(),
  body: z.string(),
  author: z.string().optional(),
  url: z.string().optional(),
  createdAt: z.string().optional(),
});

export type ActionScope = 'actions:read' | 'actions:write';

interface ActionSpec<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  title: string;
  description: string;
  /** Writes need `actions:write` and an Idempotency-Key; reads need `actions:read`. */
  write: boolean;
  input: I;
  output: O;
}

function spec<I extends z.ZodType, O extends z.ZodType>(s: ActionSpec<I, O>) {
  return s;
}

export const ACTIONS = {
  'contacts.lookup': spec({
    name: 'contacts.lookup',
    title: 'Look up contacts',
    description: 'Finds contacts by phone (any format; normalised to E.164) and/or email.',
    write: false,
    input: lookupInput,
    output: z.object({ contacts: z.array(ContactResult) }),
  }),
  'contacts.create': spec({
    name: 'contacts.create',
    title: 'Create a contact',
    description: 'Looks the contact up first and returns the existing one rather than creating a duplicate.',
    write: true,
    input: createContactInput,
    output: ContactResult.extend({ created: z.boolean() }),
  }),
  'availability.get': spec({
    name: 'availability.get',
    title: 'Find free slots',
    description: 'Free slots of the given duration within the window, working hours, buffers and minimum notice, in the given time zone.',
    write: false,
    input: availabilityInput,
    output: z.object({ timeZone: z.string(), slots: z.array(Slot) }),
  }),
  'appointments.create': spec({
    name: 'appointments.create',
    title: 'Book an appointment',
    description: 'Re-checks the slot just before booking; answers slot_unavailable if it was taken.',
    write: true,
    input: createAppointmentInput,
    output: AppointmentResult,
  }),
  'appointments.cancel': spec({
    name: 'appointments.cancel',
    title: 'Cancel an appointment',
    description: 'Cancels a booked appointment.',
    write: true,
    input: cancelAppointmentInput,
    output: AppointmentResult,
  }),
  'appointments.reschedule': spec({
    name: 'appointments.reschedule',
    title: 'Reschedule an appointment',
    description: 'Moves a booked appointment to a new start, re-checking the slot first.',
    write: true,
    input: rescheduleAppointmentInput,
    output: AppointmentResult,
  }),
  'messages.send': spec({
    name: 'messages.send',
    title: 'Send a message',
    description: 'Sends an email, or posts to a chat or channel; with threadId, replies in that thread.',
    write: true,
    input: sendMessageInput,
    output: MessageResult,
  }),
  'messages.get': spec({
    name: 'messages.get',
    title: 'Read a message',
    description: "Reads one message live from the provider, body included (syncs store headers and a snippet only).",
    write: false,
    input: getMessageInput,
    output: MessageResult,
  }),
  'messages.draft': spec({
    name: 'messages.draft',
    title: 'Create a draft',
    description: 'Saves an email as a draft without sending it.',
    write: true,
    input: sendMessageInput,
    output: MessageResult,
  }),
  'issues.list': spec({
    name: 'issues.list',
    title: 'List issues or pull requests',
    description: "Reads a repository's issues or pull requests live from the provider (open ones by default).",
    write: false,
    input: listIssuesInput,
    output: z.object({ issues: z.array(IssueResult) }),
  }),
  'issues.create': spec({
    name: 'issues.create',
    title: 'Create an issue',
    description: 'Opens an issue in a repository.',
    write: true,
    input: createIssueInput,
    output: IssueResult,
  }),
  'issues.comment': spec({
    name: 'issues.comment',
    title: 'Comment on an issue or pull request',
    description: 'Adds a comment to an issue or a pull request.',
    write: true,
    input: commentOnIssueInput,
    output: z.object({ comment: IssueComment, raw: z.unknown() }),
  }),
} as const;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];
export type ActionInput<A extends ActionName> = z.output<(typeof ACTIONS)[A]['input']>;
export type ActionOutput<A extends ActionName> = z.output<(typeof ACTIONS)[A]['output']>;

export function isActionName(value: string): value is ActionName {
  return Object.hasOwn(ACTIONS, value);
}

export function scopeOf(action: ActionName): ActionScope {
  return ACTIONS[action].write ? 'actions:write' : 'actions:read';
}
