// HubSpot contact actions through runAction (lib/actions/run.ts) on a connection made through the
// sandbox's OAuth: lookups by phone in the forms people write it, by email and by both; creates
// that return an existing contact instead of duplicating it (found by the search, or refused by
// HubSpot with 409 when the search has not caught up); a retried create whose first response was
// lost; and write-through records the next incremental sync finds unchanged.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { principalForUser, type ApiPrincipal } from '@/lib/actions/principal';
import { runAction, type ActionAnswer, type ActionSuccess } from '@/lib/actions/run';
import type { ActionOutput } from '@/lib/actions/schemas';
import { saveCredentials } from '@/lib/connections/credential-store';
import { asService } from '@/lib/db/rls';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { dataCountsOf, issueAccessToken } from '../../server';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const previousRegion = process.env.DEFAULT_PHONE_REGION;

beforeAll(() => {
  // Numbers written without a country code are British in these tests.
  process.env.DEFAULT_PHONE_REGION = 'GB';
});
afterAll(() => {
  if (previousRegion === undefined) delete process.env.DEFAULT_PHONE_REGION;
  else process.env.DEFAULT_PHONE_REGION = previousRegion;
});
beforeEach(() => {
  // A few generated contacts (UK 07700 900xxx numbers); the ones these tests look for are London 020 7946 0xxx.
  suite.sandbox.setKnobs({ dataset: { 'hubspot.contacts': 5, 'hubspot.deals': 0 } });
});

interface Connection {
  workspaceId: string;
  connectionId: string;
  principal: ApiPrincipal;
}

async function connect(name = 'HubSpot actions'): Promise<Connection> {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, name)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'hubspot');
  return { workspaceId, connectionId, principal: await principalForUser(suite.database.db, suite.admin, workspaceId) };
}

function run(connection: Connection, action: string, input: unknown, idempotencyKey?: string): Promise<ActionAnswer> {
  return runAction(suite.database.db, connection.principal, { connectionId: connection.connectionId, action, input, idempotencyKey });
}

async function ok<A extends 'contacts.lookup' | 'contacts.create'>(answer: Promise<ActionAnswer>, _action?: A): Promise<ActionOutput<A>> {
  const settled = await answer;
  expect(settled.ok, JSON.stringify(settled.body)).toBe(true);
  return (settled.body as ActionSuccess<ActionOutput<A>>).output;
}

const lookup = (connection: Connection, input: { phone?: string; email?: string }) => ok(run(connection, 'contacts.lookup', input), 'contacts.lookup');
const create = (connection: Connection, input: Record<string, unknown>, key: string) => ok(run(connection, 'contacts.create', input, key), 'contacts.create');
const ids = (output: ActionOutput<'contacts.lookup'>) => output.contacts.map((c) => c.contact.externalId);

/** Calls the sandbox's HubSpot API directly, as the portal (another tool, or a person in HubSpot). */
async function hubspot(path: string, init: { method?: string; json?: unknown } = {}) {
  const token = issueAccessToken(suite.sandbox, { provider: 'hubspot' });
  const response = await fetch(`${suite.sandbox.url}/api.hubapi.com${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function seed(properties: Record<string, string>): Promise<string> {
  const { status, body } = await hubspot('/crm/v3/objects/contacts', { method: 'POST', json: { properties } });
  expect(status, JSON.stringify(body)).toBe(201);
  return body.id as string;
}

const liveContacts = () => dataCountsOf(suite.sandbox, { provider: 'hubspot', resource: 'contacts' }).live;
/** The sandbox's search lag (HubSpot: new records reach the search after seconds). */
const searchLag = (ms: number) => suite.sandbox.setKnobs({ searchLagMs: { hubspot: ms } });

describe(`HubSpot contact actions (${testEngine})`, () => {
  it('looks contacts up by phone in the forms people write it, by email, and by both; as the sync maps them', async () => {
    const connection = await connect();
    const ada = await seed({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0011', company: 'Analytical' });
    const grace = await seed({ firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.com', phone: '020 7946 0012' });
    const alan = await seed({ firstname: 'Alan', lastname: 'Turing', phone: '+442079460013' });
    const katherine = await seed({ firstname: 'Katherine', email: 'kj@example.com', mobilephone: '(020) 7946 0014' });

    for (const phone of ['+44 20 7946 0011', '020 7946 0011', '+442079460011', '0044 20 7946 0011']) {
      expect(ids(await lookup(connection, { phone })), phone).toEqual([ada]);
    }
    expect(ids(await lookup(connection, { phone: '+442079460012' }))).toEqual([grace]);
    expect(ids(await lookup(connection, { phone: '(020) 7946-0013' }))).toEqual([alan]);
    const byMobile = await lookup(connection, { phone: '020 7946 0014' });
    expect(ids(byMobile)).toEqual([katherine]);
    // Its only number is a mobile written without a country code: the number asked for stands in.
    expect(byMobile.contacts[0].contact).toMatchObject({ email: 'kj@example.com', phone: '+442079460014' });

    expect(ids(await lookup(connection, { email: 'ADA@Example.com' }))).toEqual([ada]);
    expect(ids(await lookup(connection, { phone: '+442079460013', email: 'grace@example.com' }))).toEqual([grace, alan]);
    expect(ids(await lookup(connection, { phone: '+44 20 7946 0099' }))).toEqual([]);
    expect(ids(await lookup(connection, { email: 'nobody@example.com' }))).toEqual([]);

    const found = (await lookup(connection, { email: 'ada@example.com' })).contacts[0];
    expect(found).toMatchObject({ resource: 'contacts', contact: { firstName: 'Ada', lastName: 'Lovelace', phone: '+442079460011', company: 'Analytical' } });

    // What the sync stores for the same contact is the same Contact.
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'contacts')).find((r) => r.externalId === ada);
    expect(found.contact).toEqual(stored?.mapped);
  });

  it('creates a contact once: one that exists (by email or phone) is returned, not duplicated, and written through', async () => {
    const connection = await connect();
    const ada = await seed({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0011' });
    const before = liveContacts();

    const byEmail = await create(connection, { firstName: 'Someone', email: 'Ada@Example.com' }, 'by-email');
    expect(byEmail).toMatchObject({ created: false, resource: 'contacts', contact: { externalId: ada, firstName: 'Ada' } });
    const byPhone = await create(connection, { firstName: 'Someone', phone: '020 7946 0011' }, 'by-phone');
    expect(byPhone).toMatchObject({ created: false, contact: { externalId: ada } });
    expect(liveContacts()).toBe(before);

    const input = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '020 7946 0012', company: 'US Navy', jobTitle: 'Rear Admiral', notes: 'Met at the conference' };
    const grace = await create(connection, input, 'grace');
    expect(grace).toMatchObject({
      created: true,
      resource: 'contacts',
      contact: { firstName: 'Grace', lastName: 'Hopper', fullName: 'Grace Hopper', email: 'grace@example.com', phone: '+442079460012', company: 'US Navy', jobTitle: 'Rear Admiral' },
    });
    expect(liveContacts()).toBe(before + 1);
    // The answer's raw record is the listing's shape: the listing's properties and HubSpot's own three.
    const raw = grace.raw as { id: string; properties: Record<string, unknown>; archived: boolean };
    expect(Object.keys(raw.properties).sort()).toEqual(['company', 'createdate', 'email', 'firstname', 'hs_object_id', 'jobtitle', 'lastmodifieddate', 'lastname', 'lifecyclestage', 'phone']);
    expect(raw).toMatchObject({ archived: false, properties: { phone: '+442079460012', lifecyclestage: null } });

    // The same person again, under a new key: found, not created.
    const again = await create(connection, input, 'grace-again');
    expect(again).toMatchObject({ created: false, contact: { externalId: raw.id } });
    expect(liveContacts()).toBe(before + 1);

    // Written through: the records hold it as the sync would.
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'contacts')).find((r) => r.externalId === raw.id);
    expect(stored?.mapped).toEqual(grace.contact);
    expect(stored?.deletedAt).toBeNull();
  });

  it('the search trails new contacts; a duplicate email it cannot see yet is refused by HubSpot (409) and the existing contact returned', async () => {
    const connection = await connect();
    searchLag(60_000);
    const ada = await seed({ firstname: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0011' });
    const search = { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ada@example.com' }] }] };
    expect((await hubspot('/crm/v3/objects/contacts/search', { method: 'POST', json: search })).body.total).toBe(0);
    expect(ids(await lookup(connection, { email: 'ada@example.com' }))).toEqual([]);
    // It is in the object store at once (the listing and reads by id or email).
    expect((await hubspot(`/crm/v3/objects/contacts/${ada}`)).status).toBe(200);
    expect((await hubspot('/crm/v3/objects/contacts/ADA@example.com?idProperty=email')).body.id).toBe(ada);

    const before = liveContacts();
    const writesBefore = suite.sandbox.stats().dataRequests['hubspot.contactWrites'];
    const answer = await create(connection, { firstName: 'Other', email: 'ada@example.com' }, 'conflict');
    expect(answer).toMatchObject({ created: false, contact: { externalId: ada, firstName: 'Ada', email: 'ada@example.com' } });
    expect(suite.sandbox.stats().dataRequests['hubspot.contactWrites'] - writesBefore).toBe(1);
    expect(liveContacts()).toBe(before);

    // HubSpot's own answer to the duplicate.
    const conflict = await hubspot('/crm/v3/objects/contacts', { method: 'POST', json: { properties: { email: 'ADA@EXAMPLE.COM' } } });
    expect(conflict).toMatchObject({ status: 409, body: { status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${ada}` } });

    // Once indexed, the search has it.
    searchLag(0);
    expect((await hubspot('/crm/v3/objects/contacts/search', { method: 'POST', json: search })).body.total).toBe(1);
    expect(ids(await lookup(connection, { email: 'ada@example.com' }))).toEqual([ada]);
  });

  it('a create retried after its response was lost returns what the first attempt made', async () => {
    const connection = await connect();
    const before = liveContacts();

    // With an email: read by email (not behind the search), so even a lagging search cannot fool it.
    searchLag(60_000);
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { hubspot: 1 } });
    const input = { firstName: 'Lin', lastName: 'Clark', email: 'lin@example.com', phone: '020 7946 0031' };
    const lost = await run(connection, 'contacts.create', input, 'lost-1');
    expect(lost).toMatchObject({ ok: false, status: 502, replayed: false });
    expect(liveContacts()).toBe(before + 1);
    const retried = await ok(run(connection, 'contacts.create', input, 'lost-1'), 'contacts.create');
    expect(retried).toMatchObject({ created: false, contact: { email: 'lin@example.com', firstName: 'Lin' } });
    expect(liveContacts()).toBe(before + 1);
    // Replayed from now on.
    expect(await run(connection, 'contacts.create', input, 'lost-1')).toMatchObject({ ok: true, replayed: true });

    // Phone only: the retry asks the search again until it has caught up.
    searchLag(1500);
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { hubspot: 1 } });
    const phoneOnly = { firstName: 'Max', phone: '+44 20 7946 0032' };
    expect(await run(connection, 'contacts.create', phoneOnly, 'lost-2')).toMatchObject({ ok: false, status: 502 });
    expect(liveContacts()).toBe(before + 2);
    const found = await ok(run(connection, 'contacts.create', phoneOnly, 'lost-2'), 'contacts.create');
    expect(found).toMatchObject({ created: false, contact: { firstName: 'Max', phone: '+442079460032' } });
    expect(liveContacts()).toBe(before + 2);
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'contacts')).map((r) => r.externalId);
    expect(stored).toContain(found.contact.externalId);
  });

  it('a connection made before creates existed (read scopes only) still looks up, and is told to reconnect to create', async () => {
    const connection = await connect();
    const readOnly = issueAccessToken(suite.sandbox, { provider: 'hubspot', scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.deals.read'] });
    await asService(suite.database.db, (tx) =>
      saveCredentials(tx, connection, { accessToken: readOnly, expiresAt: new Date(Date.now() + 3600_000).toISOString(), scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.deals.read'] }),
    );
    const ada = await seed({ firstname: 'Ada', email: 'ada@example.com' });
    expect(ids(await lookup(connection, { email: 'ada@example.com' }))).toEqual([ada]);
    const refused = await run(connection, 'contacts.create', { firstName: 'Grace', email: 'grace@example.com' }, 'no-scope');
    expect(refused).toMatchObject({ ok: false, status: 502, body: { code: 'provider_error' } });
    expect((refused.body as { detail: string }).detail).toMatch(/crm\.objects\.contacts\.write.*Reconnect/);
  });

  it('written-through contacts are what the next incremental sync finds, unchanged', async () => {
    const connection = await connect();
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');

    const created = await create(connection, { firstName: 'Edsger', lastName: 'Dijkstra', email: 'ewd@example.com', phone: '+31 20 123 4567' }, 'write-through');
    expect(created.created).toBe(true);
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'contacts')).find((r) => r.externalId === created.contact.externalId);
    expect(stored?.mapped).toEqual(created.contact);

    const result = await syncToEnd(suite.database.db, runner, connection, { mode: 'incremental', resource: 'contacts' });
    expect(result.outcome, result.run.error ?? undefined).toBe('succeeded');
    expect(counts(result.run)).toEqual({ fetched: 1, created: 0, updated: 0, unchanged: 1, deleted: 0 });
  });
});
