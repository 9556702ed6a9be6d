// Mindbody records onto the model. The syncs store Mindbody's own objects, each appointment and
// class visit with one addition (`IntegrationHub`): its times as instants and the site's zone,
// because Mindbody writes them as the site's wall-clock time without an offset ✔ and a mapping
// (data, with static arguments) cannot know a site's zone. The default mappings (mappings.ts) read
// those; the actions answer with the functions below, which read the same objects.
// Field names: Client.md, Appointment.md of Mindbody's v6 client docs (see api.ts).
import { z } from 'zod';
import { Appointment, Contact, type AppointmentRecord, type ContactRecord } from '../../mapping/model';
import { toE164, type CountryCode } from '../../mapping/phones';
import { fromLocal, iso } from './api';

const text = z.string().nullish();

/** A Mindbody Client, loosely: what is read of it. The object itself is kept as Mindbody sent it. */
export const clientSchema = z
  .object({
    Id: z.union([z.string().min(1), z.number()]),
    UniqueId: z.number().nullish(),
    FirstName: text,
    LastName: text,
    Email: text,
    MobilePhone: text,
    HomePhone: text,
    WorkPhone: text,
    Notes: text,
    LastModifiedDateTime: text,
  })
  .passthrough();
export type MindbodyClient = z.infer<typeof clientSchema>;

/** A Mindbody Appointment, loosely (Appointment.md). */
export const appointmentSchema = z
  .object({
    Id: z.number().int(),
    Status: text,
    StartDateTime: z.string(),
    EndDateTime: z.string(),
    Duration: z.number().nullish(),
    Notes: text,
    StaffId: z.number().int().nullish(),
    ClientId: z.union([z.string(), z.number()]).nullish(),
    LocationId: z.number().int().nullish(),
    SessionTypeId: z.number().int().nullish(),
  })
  .passthrough();
export type MindbodyAppointment = z.infer<typeof appointmentSchema>;

const trimmed = (value: string | null | undefined) => {
  const out = value?.trim();
  return out ? out : undefined;
};

/** The client's phone numbers in E.164 (mobile first), numbers without a country code read in `region`. */
export function clientPhones(client: MindbodyClient, region: string): string[] {
  const phones = [client.MobilePhone, client.HomePhone, client.WorkPhone]
    .map((value) => trimmed(value))
    .filter((value): value is string => value !== undefined)
    .map((value) => toE164(value, region as CountryCode))
    .filter((value): value is string => value !== undefined);
  return [...new Set(phones)];
}

export function clientEmail(client: MindbodyClient): string | undefined {
  const email = trimmed(client.Email)?.toLowerCase();
  return email && z.email().safeParse(email).success ? email : undefined;
}

/** "UTC date and time" (Client.md), written with or without the Z. */
function utcStamp(value: string | null | undefined): string | undefined {
  const raw = trimmed(value);
  if (!raw) return undefined;
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(raw) ? raw : `${raw}Z`);
  return Number.isNaN(ms) ? undefined : iso(ms);
}

/** The client as a Contact, or undefined when it has neither an email nor a phone (no contact). */
export function contactFromClient(client: MindbodyClient, region: string): ContactRecord | undefined {
  const firstName = trimmed(client.FirstName);
  const lastName = trimmed(client.LastName);
  const email = clientEmail(client);
  const phone = clientPhones(client, region)[0];
  if (!email && !phone) return undefined;
  const contact = {
    externalId: String(client.Id),
    firstName,
    lastName,
    fullName: [firstName, lastName].filter(Boolean).join(' ') || undefined,
    email,
    phone,
    notes: trimmed(client.Notes),
    updatedAt: utcStamp(client.LastModifiedDateTime),
  };
  return Contact.parse(Object.fromEntries(Object.entries(contact).filter(([, value]) => value !== undefined)));
}

/**
 * Mindbody's appointment statuses: Booked, Completed, Confirmed, Arrived, NoShow, Cancelled,
 * LateCancelled ✔ (api.mindbodyonline.com/0_5/AppointmentService.asmx, the same model in v6 ~);
 * Requested ? (a request awaiting confirmation).
 */
const STATUSES: Record<string, AppointmentRecord['status']> = {
  booked: 'booked',
  confirmed: 'confirmed',
  arrived: 'arrived',
  completed: 'completed',
  noshow: 'no_show',
  cancelled: 'cancelled',
  latecancelled: 'cancelled',
  requested: 'pending',
};

export const isCancelled = (appointment: MindbodyAppointment) => /^(late)?cancell?ed$/i.test(appointment.Status ?? '');

export interface AppointmentNames {
  sessionTypeName?: string;
  staffName?: string;
  locationName?: string;
}

/** The appointment as the model's Appointment, its times read in the site's zone. */
export function appointmentFrom(appointment: MindbodyAppointment, zone: string, names: AppointmentNames = {}): AppointmentRecord {
  const start = fromLocal(appointment.StartDateTime, zone);
  const end = fromLocal(appointment.EndDateTime, zone);
  const record = {
    externalId: String(appointment.Id),
    title: trimmed(names.sessionTypeName) ?? 'Appointment',
    description: trimmed(appointment.Notes),
    startsAt: iso(start),
    endsAt: iso(end),
    durationMinutes: appointment.Duration ?? Math.round((end - start) / 60_000),
    timeZone: zone,
    status: STATUSES[(appointment.Status ?? '').toLowerCase()],
    location: trimmed(names.locationName),
    customerExternalId: appointment.ClientId === null || appointment.ClientId === undefined ? undefined : String(appointment.ClientId),
    staffName: trimmed(names.staffName),
    serviceName: trimmed(names.sessionTypeName),
  };
  return Appointment.parse(Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)));
}

/** What the syncs add to an appointment or a class visit: its instants and the site's zone. */
export interface HubTimes {
  timeZone: string;
  startsAt: string;
  endsAt: string;
}

const timed = z.object({ StartDateTime: z.string(), EndDateTime: z.string() }).passthrough();

/** The object as stored: Mindbody's own, plus IntegrationHub (its times read in the site's zone). */
export function withSiteTimes(raw: unknown, zone: string): Record<string, unknown> {
  const record = timed.parse(raw);
  const times: HubTimes = { timeZone: zone, startsAt: iso(fromLocal(record.StartDateTime, zone)), endsAt: iso(fromLocal(record.EndDateTime, zone)) };
  return { ...record, IntegrationHub: times };
}
