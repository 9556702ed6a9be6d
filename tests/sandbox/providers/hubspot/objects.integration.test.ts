// The sandbox's HubSpot contact writes and reads: create (write scope, property checks, one contact
// per email with HubSpot's 409), read by id or email, the search's text filters (EQ, IN, the
// calculated searchable phones), and the search lag.
import { describe, expect, it } from 'vitest';
import { issueAccessToken } from '@/tests/sandbox/server';
import { dataKit, type Json } from '@/tests/support/sandbox-data';

const kit = dataKit(20);
const { call, token } = kit;
const API = 'https://api.hubapi.com/crm/v3/objects/contacts';

const create = (properties: Record<string, unknown>, with_ = token('hubspot')) => call(API, { method: 'POST', json: { properties }, token: with_ });
const search = (filterGroups: unknown[], properties: string[] = ['email', 'phone']) =>
  call(`${API}/search`, { method: 'POST', json: { filterGroups, properties }, token: token('hubspot') });
const idsOf = (body: Json) => (body.results as Json[]).map((r) => r.id as string);
const filter = (propertyName: string, operator: string, value: string | string[]) => ({
  filters: [{ propertyName, operator, ...(Array.isArray(value) ? { values: value } : { value }) }],
});

describe('sandbox: HubSpot contacts', () => {
  it('creates a contact with the write scope only, and refuses unknown, read-only and malformed properties', async () => {
    const readOnly = issueAccessToken(kit.sandbox, { provider: 'hubspot', scopes: ['oauth', 'crm.objects.contacts.read'] });
    expect(await create({ email: 'x@example.com' }, readOnly)).toMatchObject({ status: 403, body: { category: 'MISSING_SCOPES' } });
    expect(await create({ nope: 'x' })).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR', errors: [{ error: 'PROPERTY_DOESNT_EXIST', name: 'nope' }] } });
    expect(await create({ hs_object_id: '1' })).toMatchObject({ status: 400, body: { errors: [{ error: 'READ_ONLY_VALUE' }] } });
    expect(await create({ email: 'not an email' })).toMatchObject({ status: 400, body: { errors: [{ error: 'INVALID_EMAIL' }] } });

    const made = await create({ firstname: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0081' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ archived: false, properties: { firstname: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0081', hs_object_id: made.body.id } });
    // One contact per email, ignoring case.
    expect(await create({ email: 'ADA@example.com' })).toMatchObject({
      status: 409,
      body: { status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${made.body.id}`, correlationId: expect.any(String) },
    });

    const byId = await call(`${API}/${made.body.id}?properties=email,phone,lifecyclestage`, { token: token('hubspot') });
    expect(byId.body).toMatchObject({ id: made.body.id, properties: { email: 'ada@example.com', phone: '+44 20 7946 0081', lifecyclestage: null } });
    expect((await call(`${API}/Ada%40Example.com?idProperty=email`, { token: token('hubspot') })).body.id).toBe(made.body.id);
    expect(await call(`${API}/999?archived=false`, { token: token('hubspot') })).toMatchObject({ status: 404, body: { category: 'OBJECT_NOT_FOUND' } });
  });

  it('filters the search on text properties exactly (ignoring case), with IN lists and the calculated searchable phones', async () => {
    const ada = (await create({ email: 'ada@example.com', phone: '+44 20 7946 0082' })).body.id;
    const grace = (await create({ email: 'grace@example.com', mobilephone: '020 7946 0083' })).body.id;
    expect(idsOf((await search([filter('email', 'EQ', 'ADA@example.com')])).body)).toEqual([ada]);
    expect(idsOf((await search([filter('phone', 'EQ', '+442079460082')])).body)).toEqual([]);
    expect(idsOf((await search([filter('phone', 'IN', ['+442079460082', '+44 20 7946 0082'])])).body)).toEqual([ada]);
    expect(idsOf((await search([filter('hs_searchable_calculated_phone_number', 'EQ', '2079460082')])).body)).toEqual([ada]);
    expect(idsOf((await search([filter('hs_searchable_calculated_mobile_number', 'EQ', '2079460083')])).body)).toEqual([grace]);
    expect(idsOf((await search([filter('email', 'EQ', 'grace@example.com'), filter('phone', 'IN', ['+44 20 7946 0082'])])).body).sort()).toEqual([ada, grace].sort());
    const calculated = await search([filter('email', 'EQ', 'ada@example.com')], ['hs_searchable_calculated_phone_number']);
    expect(calculated.body.results[0].properties.hs_searchable_calculated_phone_number).toBe('2079460082');
    expect((await search([filter('email', 'GT', 'a')])).status).toBe(400);
    expect((await search([filter('phone', 'IN', [])])).status).toBe(400);
  });

  it('has new contacts in listings and reads at once, in the search only after the searchLagMs knob', async () => {
    kit.sandbox.setKnobs({ searchLagMs: { hubspot: 60_000 } });
    const id = (await create({ email: 'late@example.com' })).body.id;
    expect(idsOf((await search([filter('email', 'EQ', 'late@example.com')])).body)).toEqual([]);
    expect((await call(`${API}/${id}`, { token: token('hubspot') })).status).toBe(200);
    const listed = await call(`${API}?limit=100&properties=email`, { token: token('hubspot') });
    expect(idsOf(listed.body)).toContain(id);
    kit.sandbox.setKnobs({ searchLagMs: { hubspot: 0 } });
    expect(idsOf((await search([filter('email', 'EQ', 'late@example.com')])).body)).toEqual([id]);
  });
});
