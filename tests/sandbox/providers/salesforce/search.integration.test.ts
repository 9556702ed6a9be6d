// The sandbox's Salesforce search and creates: SOSL on /search and the same search on
// /parameterizedSearch over Contacts and Leads, their strictness about reserved characters, the
// search lag, Leads in SOQL (with IN and OR), and sObject creates under duplicate rules.
import { describe, expect, it } from 'vitest';
import { dataKit, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit(20);
const { call, token } = kit;
const API = 'https://acme-sandbox.my.salesforce.com/services/data/v62.0';

const get = (path: string) => call(`${API}${path}`, { token: token('salesforce') });
const post = (path: string, json: unknown, headers: Record<string, string> = {}) => call(`${API}${path}`, { method: 'POST', json, token: token('salesforce'), headers });
const sosl = (query: string) => get(`/search?q=${encodeURIComponent(query)}`);
const idsOf = (body: Json) => (body.searchRecords as Json[]).map((r) => r.Id as string);

describe('sandbox: Salesforce search', () => {
  it('finds Contacts and Leads by the words of their phone fields, in /search and /parameterizedSearch alike', async () => {
    const contact = (await post('/sobjects/Contact', { LastName: 'Lovelace', Phone: '+44 20 7946 0071' })).body.id as string;
    const mobile = (await post('/sobjects/Contact', { LastName: 'Hopper', MobilePhone: '020 7946 0071' })).body.id as string;
    const lead = (await post('/sobjects/Lead', { LastName: 'Torvalds', Company: 'Linux', Phone: '(020) 7946-0071' })).body.id as string;

    const international = await sosl('FIND {"\\+44 20 7946 0071"} IN PHONE FIELDS RETURNING Contact(Id, Phone), Lead(Id, Company)');
    expect(international.body.searchRecords).toEqual([{ attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${contact}` }, Id: contact, Phone: '+44 20 7946 0071' }]);
    // "020 7946 0071" is the words 020 7946 0071: the mobile and the lead's "(020) 7946-0071".
    expect(idsOf((await sosl('FIND {"020 7946 0071"} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)')).body)).toEqual([mobile, lead]);
    expect(idsOf((await sosl('FIND {"\\+44 20 7946 0071" OR "020 7946 0071"} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)')).body)).toEqual([contact, mobile, lead]);
    // Not in name fields.
    expect(idsOf((await sosl('FIND {"020 7946 0071"} IN NAME FIELDS RETURNING Contact(Id), Lead(Id)')).body)).toEqual([]);

    const parameterized = await get(`/parameterizedSearch?q=${encodeURIComponent('"020 7946 0071"')}&in=PHONE&sobject=Lead&Lead.fields=Id,Company&sobject=Contact&Contact.fields=Id`);
    expect(idsOf(parameterized.body)).toEqual([lead, mobile]);
    expect(parameterized.body.searchRecords[0]).toMatchObject({ attributes: { type: 'Lead' }, Company: 'Linux' });
  });

  it('refuses reserved characters it gives no meaning to, unbalanced braces, quotes and parentheses', async () => {
    for (const query of [
      'FIND {+44 20 7946 0071} IN PHONE FIELDS',
      "FIND {O'Brien} IN NAME FIELDS",
      'FIND {"unterminated} IN ALL FIELDS',
      'FIND {a} IN ALL FIELDS RETURNING Contact(Id)}',
      'FIND {(a OR b} IN ALL FIELDS',
      'FIND {a} IN PHONE FIELDS RETURNING Contact(Id WHERE Phone != null)',
      'FIND {a}; DELETE',
      'FIND {a',
    ]) {
      const answer = await sosl(query);
      expect(answer, query).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_SEARCH' }] });
    }
    expect((await get('/search')).body[0].errorCode).toBe('MALFORMED_SEARCH');
    expect((await sosl('FIND {a} RETURNING User(Id)')).body[0].errorCode).toBe('INVALID_TYPE');
    expect((await sosl('FIND {a} RETURNING Contact(Nope)')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await sosl('FIND {O\\\'Brien AND NOT Smith} IN NAME FIELDS RETURNING Contact(Id)')).status).toBe(200);
  });

  it('indexes new records only after the searchLagMs knob', async () => {
    Object.assign(kit.sandbox.knobs, { searchLagMs: { salesforce: 60_000 } });
    const id = (await post('/sobjects/Contact', { LastName: 'Late', Phone: '+44 20 7946 0072' })).body.id as string;
    const query = 'FIND {"\\+44 20 7946 0072"} IN PHONE FIELDS RETURNING Contact(Id)';
    expect(idsOf((await sosl(query)).body)).toEqual([]);
    // SOQL sees it at once.
    expect((await get(`/query?q=${encodeURIComponent("SELECT Id FROM Contact WHERE Phone = '+44 20 7946 0072'")}`)).body.records).toHaveLength(1);
    Object.assign(kit.sandbox.knobs, { searchLagMs: { salesforce: 0 } });
    expect(idsOf((await sosl(query)).body)).toEqual([id]);
  });

  it('queries Leads by SOQL, with IN lists and ORed conditions (never mixed with AND)', async () => {
    const a = (await post('/sobjects/Lead', { LastName: 'A', Company: 'X', Email: 'a@example.com' })).body.id as string;
    const b = (await post('/sobjects/Lead', { LastName: 'B', Company: 'X', Phone: '+44 20 7946 0073' })).body.id as string;
    const q = (soql: string) => get(`/query?q=${encodeURIComponent(soql)}`);
    const found = await q("SELECT Id, Company FROM Lead WHERE Email = 'A@example.com' OR Phone IN ('+44 20 7946 0073', '020 7946 0073')");
    expect((found.body.records as Json[]).map((r) => r.Id).sort()).toEqual([a, b].sort());
    expect((await q("SELECT Id FROM Lead WHERE Email = 'a@example.com' AND Company = 'X' OR LastName = 'B'")).body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await q("SELECT Id FROM Lead WHERE Phone IN ('+44 20 7946 0073'")).body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await q('SELECT Id FROM Lead LIMIT 5')).body.records).toHaveLength(5);
  });
});

describe('sandbox: Salesforce creates and duplicate rules', () => {
  it('creates with the required fields only, and refuses unknown and system fields', async () => {
    expect(await post('/sobjects/Contact', { FirstName: 'No' })).toMatchObject({ status: 400, body: [{ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }] });
    expect(await post('/sobjects/Lead', { LastName: 'No' })).toMatchObject({ status: 400, body: [{ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }] });
    expect((await post('/sobjects/Contact', { LastName: 'X', Nope: 'y' })).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await post('/sobjects/Contact', { LastName: 'X', Id: '003SBX000000000001AAA' })).body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect((await post('/sobjects/Contact', { LastName: 'X', Email: 'not-an-email' })).body[0].errorCode).toBe('INVALID_EMAIL_ADDRESS');
    const created = await post('/sobjects/Contact', { LastName: 'Made', Email: 'made@example.com' });
    expect(created).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^003SBX/), success: true, errors: [] } });
  });

  it('refuses a duplicate unless Sforce-Duplicate-Rule-Header says allowSave=true, naming the matches', async () => {
    const first = (await post('/sobjects/Contact', { LastName: 'Dupe', Email: 'dupe@example.com' })).body.id as string;
    const headerVariants: Record<string, string>[] = [{}, { 'Sforce-Duplicate-Rule-Header': 'allowSave=false; includeRecordDetails=false; runAsCurrentUser=true' }];
    for (const headers of headerVariants) {
      const refused = await post('/sobjects/Contact', { LastName: 'Other', Email: 'DUPE@example.com' }, headers);
      expect(refused.status).toBe(400);
      expect(refused.body[0]).toMatchObject({
        errorCode: 'DUPLICATES_DETECTED',
        duplicateResut: { allowSave: false, duplicateRuleEntityType: 'Contact', matchResults: [{ entityType: 'Contact', matchRecords: [{ record: { Id: first } }] }] },
      });
    }
    // Same last name and phone digits, however written.
    await post('/sobjects/Contact', { LastName: 'Phoned', Phone: '+44 20 7946 0074' });
    expect((await post('/sobjects/Contact', { LastName: 'phoned', MobilePhone: '+44 (20) 7946-0074' })).body[0].errorCode).toBe('DUPLICATES_DETECTED');
    expect((await post('/sobjects/Contact', { LastName: 'Someone Else', Phone: '+44 20 7946 0074' })).status).toBe(201);
    // A Lead duplicates a Contact or Lead with its email.
    expect((await post('/sobjects/Lead', { LastName: 'L', Company: 'C', Email: 'dupe@example.com' })).body[0]).toMatchObject({ errorCode: 'DUPLICATES_DETECTED' });
    const saved = await post('/sobjects/Contact', { LastName: 'Other', Email: 'dupe@example.com' }, { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' });
    expect(saved.status).toBe(201);
  });
});
