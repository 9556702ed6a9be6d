// Acuity appointments (cancelled ones included) and clients.
//
// GET /appointments has no modification filter and no page cursor: it filters by appointment date
// (minDate / maxDate, inclusive dates), returns at most `max` appointments, and with showall=true
// includes cancelled ones (https://developers.acuityscheduling.com/reference/get-appointments). So a
// listing walks date windows in order (WINDOW_DAYS each, halved when one comes back full), and an
// incremental listing re-lists the windows from LOOKBACK_DAYS ago onwards: appointments carry no
// modification time, so the sync's content hash tells changed from unchanged, and webhooks
// (scheduled, rescheduled, canceled) make that re-scan happen at once. A full listing covers
// FULL_PAST_DAYS back and FUTURE_DAYS ahead. A cancelled appointment stays listed with canceled: true.
//
// GET /clients answers every client in one list, with no id (https://developers.acuityscheduling.com/reference/get-clients):
// a client is known by its email (else phone, else name), lower-cased. Deleted clients vanish.
import { z } from 'zod';
import { ProviderProtocolError } from '../errors';
import type { FetchedRecord, PageRequest, PageResult, SyncResource } from '../types';
import { acuity, appointment } from './api';

const DAY_MS = 24 * 60 * 60 * 1000;
export const WINDOW_DAYS = 90;
export const LOOKBACK_DAYS = 180;
export const FULL_PAST_DAYS = 3 * 365;
export const FUTURE_DAYS = 2 * 365;
/** Appointments asked for per window; a window that fills it is split. */
export const MAX_PER_WINDOW = 1000;

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const day = (date: string) => Date.parse(`${date}T00:00:00Z`);

const windowState = z.object({ from: z.string(), last: z.string(), days: z.number().int().min(1) });

export const appointments: SyncResource = {
  id: 'appointments',
  label: 'Appointments',
  async fetchPage(client, request: PageRequest): Promise<PageResult> {
    const now = request.now.getTime();
    const state = request.page
      ? windowState.parse(request.page)
      : {
          from: dateOf(now - (request.listing === 'incremental' ? LOOKBACK_DAYS : FULL_PAST_DAYS) * DAY_MS),
          last: dateOf(now + FUTURE_DAYS * DAY_MS),
          days: WINDOW_DAYS,
        };
    const to = dateOf(Math.min(day(state.from) + (state.days - 1) * DAY_MS, day(state.last)));
    const query = new URLSearchParams({ minDate: state.from, maxDate: to, max: String(MAX_PER_WINDOW), showall: 'true', direction: 'ASC' });
    const list = z.array(appointment).parse(await acuity(client, `/appointments?${query}`));
    if (list.length >= MAX_PER_WINDOW) {
      if (state.days === 1) throw new ProviderProtocolError(`Acuity has ${MAX_PER_WINDOW} or more appointments on ${state.from}; the sync cannot list them all.`);
      // Too many for one answer: the same start, half the window.
      return { records: [], next: { ...state, days: Math.ceil(state.days / 2) } };
    }
    const records: FetchedRecord[] = list.map((item) => ({ externalId: String(item.id), data: item }));
    const nextFrom = dateOf(day(to) + DAY_MS);
    if (day(nextFrom) > day(state.last)) return { records, next: null, cursor: { listedAt: request.now.toISOString() } };
    return { records, next: { from: nextFrom, last: state.last, days: WINDOW_DAYS } };
  },
};

const clientRecord = z.object({ firstName: z.string().optional(), lastName: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }).passthrough();

/** A client's identity at Acuity, which gives clients no id. */
export function clientKey(item: z.infer<typeof clientRecord>): string | null {
  const key = item.email?.trim() || item.phone?.replace(/[^\d+]/g, '') || [item.firstName, item.lastName].filter(Boolean).join(' ').trim();
  return key ? key.toLowerCase() : null;
}

export const clients: SyncResource = {
  id: 'clients',
  label: 'Clients',
  async fetchPage(client, request): Promise<PageResult> {
    const list = z.array(clientRecord).parse(await acuity(client, '/clients'));
    const records: FetchedRecord[] = [];
    for (const item of list) {
      const key = clientKey(item);
      if (key) records.push({ externalId: key, data: item });
    }
    return { records, next: null, cursor: { listedAt: request.now.toISOString() } };
  },
};
