// Mindbody syncs beyond the contract suite: what a booking action writes through is exactly what
// the appointments sync stores (the next sync finds it unchanged, times read in the site's zone);
// a cancellation shows as a status; a rate-limited page (429 with Retry-After, Mindbody's error
// shape) is retried and the listing completes; and without a staff login only clients are listed.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiPrincipal } from '@/lib/actions/principal';
import { runAction, type ActionSuccess } from '@/lib/actions/run';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { PROFILE } from './accounts';
import { MINDBODY_SANDBOX_KEY } from './api';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const [SITE] = PROFILE.accounts;
const DAY = 86_400_000;
let runner: SyncRunner;

async function connect(fields: Record<string, string> = {}) {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Mindbody sync')).id;
  const { connectionId } = await connectWithApiKey(suite.database.db, suite.admin, workspaceId, {
    provider: 'mindbody',
    fields: { apiKey: MINDBODY_SANDBOX_KEY, siteId: String(SITE.siteId), staffUsername: SITE.staffUsername, staffPassword: SITE.staffPassword, ...fields },
  });
  const { userId, email } = suite.admin;
  const principal: ApiPrincipal = { kind: 'user', workspaceId, scopes: ['actions:read', 'actions:write'], apiKeyId: null, userId, id: `user:${userId}`, label: email };
  return { workspaceId, connectionId, principal };
}

async function ok(c: Awaited<ReturnType<typeof connect>>, action: string, input: unknown, key?: string): Promise<Record<string, any>> {
  const answer = await runAction(suite.database.db, c.principal, { connectionId: c.connectionId, action, input, idempotencyKey: key });
  expect(answer.ok, JSON.stringify(answer.body)).toBe(true);
  return (answer.body as ActionSuccess<Record<string, any>>).output;
}

beforeEach(() => {
  runner = new SyncRunner(suite.database.db, { maxAttempts: 3, sleep: async () => undefined });
  suite.sandbox.setKnobs({ dataset: { 'mindbody.clients': 30, 'mindbody.appointments': 20, 'mindbody.class_visits': 20 } });
});

describe(`Mindbody syncs (${testEngine})`, () => {
  it('stores a booked appointment as the sync does, and a cancellation as its status', async () => {
    const c = await connect();
    const initial = await syncToEnd(suite.database.db, runner, c, { mode: 'full', trigger: 'initial' });
    expect(initial.outcome).toBe('succeeded');

    // The first free hour in the coming week (inside the synced window), booked for a seeded client.
    const from = new Date(Math.ceil((Date.now() + DAY) / 3_600_000) * 3_600_000);
    const { slots } = await ok(c, 'availability.get', {
      start: from.toISOString(),
      end: new Date(from.getTime() + 7 * DAY).toISOString(),
      durationMinutes: 60,
      timeZone: 'UTC',
      options: { sessionTypeId: '101', staffId: '11' },
    });
    expect(slots.length).toBeGreaterThan(0);
    const { body } = await fetch(`${suite.sandbox.url}/api.mindbodyonline.com/public/v6/client/clients?request.clientIds=100002`, {
      headers: { 'Api-Key': MINDBODY_SANDBOX_KEY, SiteId: String(SITE.siteId) },
    }).then(async (r) => ({ body: (await r.json()) as { Clients: { Email: string }[] } }));
    const booked = await ok(c, 'appointments.create', {
      start: slots[0].start,
      durationMinutes: 60,
      timeZone: 'UTC',
      title: 'Massage',
      attendee: { email: body.Clients[0].Email, name: 'Seeded Client' },
      options: { sessionTypeId: '101', staffId: '11' },
    }, 'sync-booking');
    const id = booked.appointment.externalId as string;
    const written = (await storedRecords(suite.database.db, c.connectionId, 'appointments')).find((r) => r.externalId === id);
    expect(written?.mapped).toMatchObject({ externalId: id, timeZone: SITE.timeZone, status: 'booked', customerExternalId: '100002' });
    expect(Date.parse((written!.mapped as { startsAt: string }).startsAt)).toBe(Date.parse(slots[0].start));

    // The next sync lists it and finds it exactly as written through.
    const after = await syncToEnd(suite.database.db, runner, c, { mode: 'incremental', resource: 'appointments' });
    expect(after.outcome).toBe('succeeded');
    expect(counts(after.run)).toMatchObject({ created: 0, updated: 0, deleted: 0 });

    // Cancelled through the action: written through as Cancelled, and a sync agrees.
    await ok(c, 'appointments.cancel', { appointmentId: id }, 'sync-cancel');
    const cancelled = (await storedRecords(suite.database.db, c.connectionId, 'appointments')).find((r) => r.externalId === id);
    expect(cancelled).toMatchObject({ deletedAt: null, mapped: { status: 'cancelled' } });
    const again = await syncToEnd(suite.database.db, runner, c, { mode: 'incremental', resource: 'appointments' });
    expect(counts(again.run)).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it('waits out a rate-limited page and completes the listing', async () => {
    const c = await connect();
    expect((await syncToEnd(suite.database.db, runner, c, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    suite.sandbox.setKnobs({ dataset: { 'mindbody.clients': 450 } });
    suite.sandbox.setKnobs({ rateLimitPage: { provider: 'mindbody', resource: 'clients', page: 2, retryAfterSeconds: 1 } });
    const { outcome, run } = await syncToEnd(suite.database.db, runner, c, { mode: 'full', resource: 'clients' });
    expect(outcome, run.error ?? undefined).toBe('succeeded');
    expect(counts(run)).toMatchObject({ fetched: 450 });
    expect(suite.sandbox.knobs.rateLimitPage ?? null).toBeNull();
  });

  it('without a staff login, clients sync and appointments and visits list nothing (no token to ask with)', async () => {
    const c = await connect({ staffUsername: '', staffPassword: '' });
    const before = suite.sandbox.stats().dataRequests as Record<string, number>;
    const { outcome, run } = await syncToEnd(suite.database.db, runner, c, { mode: 'full', trigger: 'initial' });
    expect(outcome, run.error ?? undefined).toBe('succeeded');
    expect(counts(run)).toMatchObject({ fetched: 30 });
    expect(await storedRecords(suite.database.db, c.connectionId, 'appointments')).toEqual([]);
    const after = suite.sandbox.stats().dataRequests as Record<string, number>;
    expect(after['mindbody.staffAppointments']).toBe(before['mindbody.staffAppointments']);
    expect(after['mindbody.tokenIssues']).toBe(before['mindbody.tokenIssues']);
  });
});
