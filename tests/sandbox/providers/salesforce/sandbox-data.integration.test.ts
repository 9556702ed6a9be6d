// The sandbox's Salesforce data endpoints: the shared dataset checks (tests/support/sandbox-data.ts)
// for contacts and opportunities (batchSize has a floor of 200), then Salesforce's own: SOQL
// parsing, query locators, queryAll tombstones, per-org instances.
// (Moved from tests/integration/sandbox-data.test.ts.)
import { describe, expect, it } from 'vitest';
import { mutateData } from '@/tests/sandbox/server';
import { dataKit, describeDataset, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit();
const { call, N, token } = kit;

describeDataset(kit, 'salesforce.contacts', { pageSize: 200, tombstones: true });
describeDataset(kit, 'salesforce.opportunities', { pageSize: 200, tombstones: true });

describe('sandbox data: Salesforce specifics', () => {
  const INSTANCE = 'https://acme-sandbox.my.salesforce.com';
  const query = (soql: string, headers: Record<string, string> = {}, endpoint = 'query') =>
    call(`${INSTANCE}/services/data/v62.0/${endpoint}?q=${encodeURIComponent(soql)}`, { token: token('salesforce'), headers });
  const contacts = (where = '') => `SELECT Id, LastName, Email FROM Contact${where} ORDER BY SystemModstamp ASC, Id ASC`;

  it('honours Sforce-Query-Options batchSize and continues through nextRecordsUrl', async () => {
    const first = await query(contacts(), { 'sforce-query-options': 'batchSize=200' });
    expect(first.body).toMatchObject({ totalSize: N, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/) });
    expect(first.body.records).toHaveLength(200);
    expect(first.body.records[0]).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${first.body.records[0].Id}` },
      Id: expect.stringMatching(/^003SBX\w{12}$/),
      LastName: expect.any(String),
      Email: expect.any(String),
    });
    const rest = await call(`${INSTANCE}${first.body.nextRecordsUrl}`, { token: token('salesforce') });
    expect(rest.body).toMatchObject({ totalSize: N, done: true });
    expect(rest.body.records).toHaveLength(50);
    expect(rest.body.nextRecordsUrl).toBeUndefined();
    expect((await query(contacts())).body.records).toHaveLength(N);
    expect((await call(`${INSTANCE}/services/data/v62.0/query/01gSBX999999999999-200`, { token: token('salesforce') })).body).toEqual([
      { message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' },
    ]);
  });

  it('parses SOQL string literals strictly: an unescaped quote is MALFORMED_QUERY', async () => {
    const all = (await query(contacts())).body.records as Json[];
    const obriens = all.filter((c) => c.LastName === "O'Brien").length;
    expect(obriens).toBeGreaterThan(0);
    const bad = await query(contacts(" WHERE LastName = 'O'Brien'"));
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
    const escaped = await query(contacts(" WHERE LastName = 'O\\'Brien'"));
    expect(escaped.status).toBe(200);
    expect(escaped.body.totalSize).toBe(obriens);
    expect((await query(contacts(" WHERE Email = 'x\\qy'"))).body[0].errorCode).toBe('MALFORMED_QUERY');
    // ORDER BY is optional, as in SOQL; a listing's order, when given, is the sandbox's one.
    expect((await query('SELECT Id FROM Contact')).status).toBe(200);
    expect((await query('SELECT Id FROM Contact ORDER BY LastName')).body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await query('SELECT Id FROM Contact ORDER BY SystemModstamp ASC, Id ASC; DELETE')).body[0].errorCode).toBe('MALFORMED_QUERY');
  });

  it('answers INVALID_FIELD for unknown fields and quoted datetimes; filters on SystemModstamp', async () => {
    expect((await query('SELECT Id, Nope FROM Contact ORDER BY SystemModstamp ASC, Id ASC')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await query(contacts(" WHERE SystemModstamp > '2026-01-01T00:00:00Z'"))).body[0].errorCode).toBe('INVALID_FIELD');
    const records = (await query(contacts())).body.records as Json[];
    const cut = ((await query(`SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp ASC, Id ASC`)).body.records as Json[])[99].SystemModstamp as string;
    const since = new Date(cut.replace('+0000', 'Z')).toISOString();
    const after = await query(contacts(` WHERE SystemModstamp > ${since}`));
    expect(after.body.records.map((r: Json) => r.Id)).toEqual(records.slice(100).map((r) => r.Id));
    const offset = since.replace('Z', '+00:00');
    expect((await query(contacts(` WHERE SystemModstamp >= ${offset}`))).body.totalSize).toBe(N - 99);
  });

  it('returns deleted rows (IsDeleted) from queryAll only', async () => {
    const { deleted } = mutateData(kit.sandbox, { provider: 'salesforce', resource: 'opportunities', delete: 3 });
    const soql = 'SELECT Id, Name, Amount, StageName, CloseDate, Probability, IsDeleted FROM Opportunity ORDER BY SystemModstamp ASC, Id ASC';
    expect((await query(soql)).body.totalSize).toBe(N - 3);
    const all = await query(soql, {}, 'queryAll');
    expect(all.body.totalSize).toBe(N);
    const tail = (all.body.records as Json[]).slice(-3);
    expect(tail.map((r) => r.Id)).toEqual(deleted);
    expect(tail.every((r) => r.IsDeleted === true)).toBe(true);
    expect(tail[0]).toMatchObject({ Id: expect.stringMatching(/^006SBX/), CloseDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), Amount: expect.any(Number) });
  });

  it('answers 401 INVALID_SESSION_ID on another org instance', async () => {
    const other = await call(`https://globex-sandbox.my.salesforce.com/services/data/v62.0/query?q=${encodeURIComponent(contacts())}`, { token: token('salesforce') });
    expect(other.status).toBe(401);
    expect(other.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});
