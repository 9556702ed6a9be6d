// Salesforce contact actions through runAction (lib/actions/run.ts) on a connection made through
// the sandbox's OAuth: lookups of Contacts and Leads by phone in the forms people write it (SOSL),
// by email (SOQL) and by both; creates that return an existing Contact or Lead instead of
// duplicating it (found by the lookup, or refused by the org's duplicate rules when the search
// index has not caught up); search literals that stay literals whatever they hold; a retried
// create whose first response was lost; and write-through records the next incremental sync
// finds unchanged.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { principalForUser, type ApiPrincipal } from '@/lib/actions/principal';
import { runAction, type ActionAnswer, type ActionSuccess } from '@/lib/actions/run';
import type { ActionOutput } from '@/lib/actions/schemas';
import { withProviderClient } from '@/lib/connections/provider-access';
import { findProvider } from '@/lib/providers/registry';
import type { ActionContext } from '@/lib/providers/types';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { dataCountsOf, issueAccessToken } from '../../server';
import { connectViaSandbox } from '../../../support/connect';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { counts, storedRecords, syncToEnd } from '../../../support/sync';

const suite = sandboxSuite();
const previousRegion = process.env.DEFAULT_PHONE_REGION;
const INSTANCE = 'acme-sandbox.my.salesforce.com';

beforeAll(() => {
  // Numbers written without a country code are British in these tests.
  process.env.DEFAULT_PHONE_REGION = 'GB';
});
afterAll(() => {
  if (previousRegion === undefined) delete process.env.DEFAULT_PHONE_REGION;
  else process.env.DEFAULT_PHONE_REGION = previousRegion;
});
beforeEach(() => {
  // A few generated Contacts and Leads (UK 07700 900xxx numbers); the ones these tests look for are London 020 7946 0xxx.
  suite.sandbox.setKnobs({ dataset: { 'salesforce.contacts': 5, 'salesforce.opportunities': 0 } });
});

interface Connection {
  workspaceId: string;
  connectionId: string;
  principal: ApiPrincipal;
}

async function connect(name = 'Salesforce actions'): Promise<Connection> {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, name)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, 'salesforce');
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

/** Calls the sandbox's Salesforce REST API directly, as the org (another tool, or a person in Salesforce). */
async function salesforce(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const token = issueAccessToken(suite.sandbox, { provider: 'salesforce' });
  const response = await fetch(`${suite.sandbox.url}/${INSTANCE}/services/data/v62.0${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function seed(object: 'Contact' | 'Lead', fields: Record<string, string>): Promise<string> {
  const { status, body } = await salesforce(`/sobjects/${object}`, { method: 'POST', json: fields });
  expect(status, JSON.stringify(body)).toBe(201);
  return body.id as string;
}

const sosl = (query: string) => salesforce(`/search?q=${encodeURIComponent(query)}`);
const liveContacts = () => dataCountsOf(suite.sandbox, { provider: 'salesforce', resource: 'contacts' }).live;
/** The sandbox's search lag (the SOSL index trails new records). */
const searchLag = (ms: number) => suite.sandbox.setKnobs({ searchLagMs: { salesforce: ms } });

describe(`Salesforce contact actions (${testEngine})`, () => {
  it('looks up Contacts and Leads by phone in the forms people write it, by email, and by both; Contacts as the sync maps them', async () => {
    const connection = await connect();
    const ada = await seed('Contact', { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com', Phone: '+44 20 7946 0021', Title: 'Analyst' });
    const grace = await seed('Contact', { FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@example.com', Phone: '020 7946 0022' });
    const alan = await seed('Contact', { FirstName: 'Alan', LastName: 'Turing', Phone: '+442079460023' });
    const katherine = await seed('Contact', { FirstName: 'Katherine', LastName: 'Johnson', MobilePhone: '(020) 7946 0024' });
    const linus = await seed('Lead', { FirstName: 'Linus', LastName: 'Torvalds', Email: 'linus@example.com', Phone: '+44 20 7946 0025', Company: 'Linux Foundation' });

    for (const phone of ['+44 20 7946 0021', '020 7946 0021', '+442079460021', '0044 (20) 7946-0021']) {
      expect(ids(await lookup(connection, { phone })), phone).toEqual([ada]);
    }
    expect(ids(await lookup(connection, { phone: '+442079460022' }))).toEqual([grace]);
    expect(ids(await lookup(connection, { phone: '020 7946 0023' }))).toEqual([alan]);
    const byMobile = await lookup(connection, { phone: '+44 20 7946 0024' });
    expect(byMobile.contacts).toMatchObject([{ resource: 'contacts', contact: { externalId: katherine, lastName: 'Johnson', phone: '+442079460024' } }]);
    const lead = await lookup(connection, { phone: '020 7946 0025' });
    expect(lead.contacts).toMatchObject([
      { resource: 'leads', contact: { externalId: linus, firstName: 'Linus', email: 'linus@example.com', phone: '+442079460025', company: 'Linux Foundation' } },
    ]);

    expect(ids(await lookup(connection, { email: 'ADA@Example.com' }))).toEqual([ada]);
    expect(ids(await lookup(connection, { email: 'linus@example.com' }))).toEqual([linus]);
    // Both: Contacts first, then Leads.
    expect(ids(await lookup(connection, { phone: '020 7946 0022', email: 'linus@example.com' }))).toEqual([grace, linus]);
    expect(ids(await lookup(connection, { phone: '+44 20 7946 0099' }))).toEqual([]);

    const found = (await lookup(connection, { email: 'ada@example.com' })).contacts[0];
    expect(found).toMatchObject({ resource: 'contacts', contact: { firstName: 'Ada', lastName: 'Lovelace', fullName: 'Ada Lovelace', phone: '+442079460021', jobTitle: 'Analyst' } });
    const runner = new SyncRunner(suite.database.db, { maxAttempts: 2, sleep: async () => undefined });
    expect((await syncToEnd(suite.database.db, runner, connection, { mode: 'full', trigger: 'initial' })).outcome).toBe('succeeded');
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'contacts')).find((r) => r.externalId === ada);
    expect(found.contact).toEqual(stored?.mapped);
  });

  it('creates a Contact once: an existing Contact or Lead is returned, not duplicated; new ones are written through', async () => {
    const connection = await connect();
    const ada = await seed('Contact', { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com', Phone: '+44 20 7946 0021' });
    const linus = await seed('Lead', { LastName: 'Torvalds', Email: 'linus@example.com', Company: 'Linux Foundation' });
    const before = liveContacts();

    expect(await create(connection, { firstName: 'Someone', email: 'Ada@Example.com' }, 'by-email')).toMatchObject({ created: false, resource: 'contacts', contact: { externalId: ada } });
    expect(await create(connection, { lastName: 'Else', phone: '020 7946 0021' }, 'by-phone')).toMatchObject({ created: false, contact: { externalId: ada } });
    expect(await create(connection, { email: 'linus@example.com' }, 'a-lead')).toMatchObject({ created: false, resource: 'leads', contact: { externalId: linus } });
    expect(liveContacts()).toBe(before);

    const input = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '020 7946 0022', jobTitle: 'Rear Admiral', notes: 'Met at the conference' };
    const grace = await create(connection, input, 'grace');
    expect(grace).toMatchObject({
      created: true,
      resource: 'contacts',
      contact: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+442079460022', jobTitle: 'Rear Admiral' },
    });
    expect(liveContacts()).toBe(before + 1);
    // The raw record is the listing's: its SELECT list, in its record shape.
    expect(Object.keys(grace.raw as object).sort()).toEqual(
      ['AccountId', 'CreatedDate', 'Email', 'FirstName', 'Id', 'IsDeleted', 'LastModifiedDate', 'LastName', 'Phone', 'SystemModstamp', 'Title', 'attributes'].sort(),
    );
    expect(await create(connection, input, 'grace-again')).toMatchObject({ created: false, contact: { externalId: grace.contact.externalId } });

    // Salesforce wants a LastName: the first name, else the email's local part.
    expect(await create(connection, { firstName: 'Cher', phone: '+44 20 7946 0026' }, 'cher')).toMatchObject({ created: true, contact: { lastName: 'Cher' } });
    expect(await create(connection, { email: 'j.doe@example.com' }, 'doe')).toMatchObject({ created: true, contact: { lastName: 'j.doe', email: 'j.doe@example.com' } });
    expect(liveContacts()).toBe(before + 3);

    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'contacts')).find((r) => r.externalId === grace.contact.externalId);
    expect(stored?.mapped).toEqual(grace.contact);
    // Leads are not synced: never written through.
    expect((await storedRecords(suite.database.db, connection.connectionId, 'leads')).length).toBe(0);
  });

  it("a duplicate the search index does not have yet is refused by the org's duplicate rules, and the existing Contact returned", async () => {
    const connection = await connect();
    searchLag(60_000);
    const hopper = await seed('Contact', { FirstName: 'Grace', LastName: 'Hopper', Phone: '+44 20 7946 0041' });
    expect((await sosl('FIND {"\\+44 20 7946 0041"} IN PHONE FIELDS RETURNING Contact(Id)')).body.searchRecords).toEqual([]);

    const before = liveContacts();
    const writesBefore = suite.sandbox.stats().dataRequests['salesforce.sobjectWrites'];
    const answer = await create(connection, { firstName: 'Grace', lastName: 'Hopper', phone: '020 7946 0041' }, 'duplicate');
    expect(answer).toMatchObject({ created: false, resource: 'contacts', contact: { externalId: hopper, lastName: 'Hopper', phone: '+442079460041' } });
    expect(suite.sandbox.stats().dataRequests['salesforce.sobjectWrites'] - writesBefore).toBe(1);
    expect(liveContacts()).toBe(before);

    // The header decides: without it (or allowSave=false) the rule refuses, naming the match; allowSave=true saves the duplicate.
    const refused = await salesforce('/sobjects/Contact', { method: 'POST', json: { LastName: 'Hopper', Phone: '+442079460041' } });
    expect(refused.status).toBe(400);
    expect(refused.body[0]).toMatchObject({ errorCode: 'DUPLICATES_DETECTED', duplicateResut: { allowSave: false, matchResults: [{ matchRecords: [{ record: { Id: hopper } }] }] } });
    const saved = await salesforce('/sobjects/Contact', {
      method: 'POST',
      json: { LastName: 'Hopper', Phone: '+442079460041' },
      headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true; includeRecordDetails=false; runAsCurrentUser=true' },
    });
    expect(saved.status).toBe(201);
    expect(liveContacts()).toBe(before + 1);
  });

  it('search literals stay literals: no extra records, no malformed search, whatever the input holds', async () => {
    const connection = await connect();
    const obrien = await seed('Contact', { LastName: "O'Brien", Email: "o'brien+crm@ex-ample.com", Phone: '+44 20 7946 0051' });
    await seed('Lead', { LastName: 'Wildcard', Company: 'Stars', Phone: '+44 20 7946 0052' });

    // Reserved characters that valid input does carry: + in every phone, ' + - in emails.
    expect(ids(await lookup(connection, { email: "O'Brien+CRM@ex-ample.com" }))).toEqual([obrien]);
    expect(ids(await lookup(connection, { phone: '+44 20 7946 0051' }))).toEqual([obrien]);

    // What the input schema would refuse, straight to the handler: an injection must find nothing and break nothing.
    const handler = findProvider('salesforce')!.actions!['contacts.lookup']!;
    const direct = (input: { phone?: string; email?: string }) =>
      withProviderClient(suite.database.db, connection.connectionId, (client) =>
        handler({ client, idempotencyKey: null, retry: false, defaultRegion: 'GB', now: new Date() } satisfies ActionContext, input),
      );
    const searchesBefore = suite.sandbox.stats().dataRequests['salesforce.search'];
    const hostile = [
      { phone: '7*' },
      { phone: '*' },
      { phone: '"} IN ALL FIELDS RETURNING Contact(Id), Lead(Id) LIMIT 200' },
      { phone: '} RETURNING Contact(Id' },
      { phone: '44 OR 7946' },
      { phone: '\\' },
      { email: "x' OR Email != '" },
      { email: "nobody@example.com' OR LastName != '" },
    ];
    for (const input of hostile) {
      const result = await direct(input);
      expect(result.output.contacts, JSON.stringify(input)).toEqual([]);
    }
    expect(suite.sandbox.stats().dataRequests['salesforce.search'] - searchesBefore).toBe(6);

    // Unescaped, the same texts would have been operators and structure.
    expect((await sosl('FIND {7*} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)')).body.searchRecords.length).toBeGreaterThan(0);
    expect((await sosl('FIND {44 OR 7946} IN PHONE FIELDS RETURNING Contact(Id)')).body.searchRecords.length).toBeGreaterThan(0);
    const broken = await sosl('FIND {""} IN ALL FIELDS RETURNING Contact(Id), Lead(Id) LIMIT 200"} IN PHONE FIELDS RETURNING Contact(Id)');
    expect(broken).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_SEARCH' }] });
    const all = await salesforce(`/query?q=${encodeURIComponent("SELECT Id FROM Contact WHERE Email = 'x' OR Email != ''")}`);
    expect(all.body.records.length).toBeGreaterThan(0);
  });

  it('a create retried after its response was lost returns what the first attempt made, though the search has not caught up', async () => {
    const connection = await connect();
    const before = liveContacts();
    searchLag(60_000);
    suite.sandbox.setKnobs({ dropResponseAfterWrite: { salesforce: 1 } });
    const input = { firstName: 'Max', lastName: 'Planck', phone: '+44 20 7946 0061' };
    expect(await run(connection, 'contacts.create', input, 'lost-1')).toMatchObject({ ok: false, status: 502, replayed: false });
    expect(liveContacts()).toBe(before + 1);

    const writesBefore = suite.sandbox.stats().dataRequests['salesforce.sobjectWrites'];
    const retried = await ok(run(connection, 'contacts.create', input, 'lost-1'), 'contacts.create');
    expect(retried).toMatchObject({ created: false, contact: { lastName: 'Planck', phone: '+442079460061' } });
    // Found by SOQL before anything was sent again.
    expect(suite.sandbox.stats().dataRequests['salesforce.sobjectWrites']).toBe(writesBefore);
    expect(liveContacts()).toBe(before + 1);
    const stored = (await storedRecords(suite.database.db, connection.connectionId, 'contacts')).map((r) => r.externalId);
    expect(stored).toContain(retried.contact.externalId);
  });

  it('written-through Contacts are what the next incremental sync finds, unchanged', async () => {
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
