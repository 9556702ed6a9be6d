// Square customers and bookings. Customers page by `cursor`; incremental listings search on
// updated_at (Square keeps no tombstones, so deletions surface on full syncs). Bookings can only
// be listed in windows of at most 31 days of start_at, so a listing walks a fixed range of
// windows. A cancelled booking is still a booking (its status says so), not a deletion.
import { z } from 'zod';
import type { PageRequest, PageResult, SyncResource } from '../types';
import { SQUARE_VERSION } from './version';

const API = 'https://connect.squareup.com/v2';
const PAGE_SIZE = 100;
const CLOCK_SKEW_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;
/** Bookings from this many days back to this many ahead are kept in sync. */
export const BOOKING_RANGE_DAYS = 120;
const WINDOW_DAYS = 31;

const headers = { 'Square-Version': SQUARE_VERSION };
const customersPage = z.object({ customers: z.array(z.object({ id: z.string() }).passthrough()).optional(), cursor: z.string().optional() });
const bookingsPage = z.object({ bookings: z.array(z.object({ id: z.string() }).passthrough()).optional(), cursor: z.string().optional() });
const customerState = z.object({ cursor: z.string().optional(), startedAt: z.number() });
const cursorSchema = z.object({ since: z.number() });

// Permissions per endpoint: https://developer.squareup.com/docs/oauth-api/square-permissions
// ListCustomers and SearchCustomers take CUSTOMERS_READ. ListBookings takes APPOINTMENTS_READ for
// buyer-level access (only the bookings this app created) and APPOINTMENTS_READ plus
// APPOINTMENTS_ALL_READ for seller-level access (every booking in the seller's calendar), which
// is what a sync of the seller's bookings means.
export const squareCustomers: SyncResource = {
  id: 'customers',
  label: 'Customers',
  requiredScopes: ['CUSTOMERS_READ'],
  async fetchPage(client, request: PageRequest): Promise<PageResult> {
    const state = request.page ? customerState.parse(request.page) : { startedAt: request.now.getTime() };
    let body: unknown;
    if (request.listing === 'full') {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(state.cursor ? { cursor: state.cursor } : {}) });
      ({ body } = await client.request(`${API}/customers?${query}`, { headers }));
    } else {
      const since = new Date(cursorSchema.parse(request.cursor).since).toISOString();
      ({ body } = await client.request(`${API}/customers/search`, {
        method: 'POST',
        headers,
        json: {
          query: { filter: { updated_at: { start_at: since } }, sort: { field: 'CREATED_AT', order: 'ASC' } },
          limit: PAGE_SIZE,
          ...(state.cursor ? { cursor: state.cursor } : {}),
        },
      }));
    }
    const page = customersPage.parse(body);
    const records = (page.customers ?? []).map((customer) => ({ externalId: customer.id, data: customer }));
    if (page.cursor) return { records, next: { ...state, cursor: page.cursor } };
    return { records, next: null, cursor: { since: state.startedAt - CLOCK_SKEW_MS } };
  },
};

const bookingState = z.object({ windowStart: z.number(), end: z.number(), cursor: z.string().optional() });

export const squareBookings: SyncResource = {
  id: 'bookings',
  label: 'Bookings',
  requiredScopes: ['APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ'],
  async fetchPage(client, request: PageRequest): Promise<PageResult> {
    const now = request.now.getTime();
    const state = request.page
      ? bookingState.parse(request.page)
      : { windowStart: now - BOOKING_RANGE_DAYS * DAY_MS, end: now + BOOKING_RANGE_DAYS * DAY_MS };
    const windowEnd = Math.min(state.windowStart + WINDOW_DAYS * DAY_MS, state.end);
    const query = new URLSearchParams({
      limit: String(PAGE_SIZE),
      start_at_min: new Date(state.windowStart).toISOString(),
      start_at_max: new Date(windowEnd).toISOString(),
      ...(state.cursor ? { cursor: state.cursor } : {}),
    });
    const { body } = await client.request(`${API}/bookings?${query}`, { headers });
    const page = bookingsPage.parse(body);
    const records = (page.bookings ?? []).map((booking) => ({ externalId: booking.id, data: booking }));
    if (page.cursor) return { records, next: { ...state, cursor: page.cursor } };
    // Square bookings have no incremental query: every listing walks all windows (no cursor).
    if (windowEnd < state.end) return { records, next: { windowStart: windowEnd, end: state.end } };
    return { records, next: null };
  },
};
