// The default mappings of every syncing resource, on records built exactly as the sandbox builds
// them (its own generators and datasets), rendered the way the provider API answers and stored the
// way our sync stores them.
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping, MODEL_SCHEMAS, parseMapping, type MappingDefinition, type ModelName } from '@/lib/mapping';
import { providers } from '@/lib/providers/registry';
import { Dataset, type ResourceSpec } from '@/tests/sandbox/data';
import { freshaDataSpecs } from '@/tests/sandbox/providers/fresha/data';
import { calendarOfEvent, calendarsOf, googleEventsSpec, renderEvent } from '@/tests/sandbox/providers/google-calendar/events';
import { hubspotDataSpecs } from '@/tests/sandbox/providers/hubspot/data';
import { salesforceDataSpecs } from '@/tests/sandbox/providers/salesforce/data';
import { squareDataSpecs } from '@/tests/sandbox/providers/square/data';

const SIZE = 60;
const iso = (ms: number) => new Date(ms).toISOString();
type Fields = Record<string, unknown>;

function dataset(spec: ResourceSpec, account: string): Dataset {
  const data = new Dataset(spec, account, SIZE, () => SIZE);
  // Some records edited since creation, as in a live account.
  for (let i = 0; i < SIZE; i += 7) data.update(i, Date.now() + i);
  return data;
}

function mappingOf(provider: string, resource: string): MappingDefinition {
  const mapping = providers.find((p) => p.id === provider)?.defaultMappings?.[resource];
  if (!mapping) throw new Error(`no default mapping for ${provider} ${resource}`);
  return mapping;
}

/** Maps every record, asserting no errors and a valid model record; returns the outputs with their fields. */
function mapAll(provider: string, resource: string, model: ModelName, records: { data: unknown; fields: Fields; index: number }[]) {
  const compiled = compileMapping(mappingOf(provider, resource));
  expect(compiled.model).toBe(model);
  return records.map(({ data, fields, index }) => {
    const { output, errors } = applyMapping(compiled, data);
    expect(errors, `${provider} ${resource} record ${index}`).toEqual([]);
    expect(MODEL_SCHEMAS[model].safeParse(output).success).toBe(true);
    return { output, fields, index };
  });
}

describe('default mappings', () => {
  it('exist for every resource that syncs, and parse', () => {
    for (const provider of providers) {
      const syncing = provider.resources.filter((r) => 'fetchPage' in r).map((r) => r.id);
      expect(Object.keys(provider.defaultMappings ?? {}).sort()).toEqual([...syncing].sort());
      for (const [resource, mapping] of Object.entries(provider.defaultMappings ?? {})) {
        const parsed = parseMapping(mapping);
        expect(parsed.ok ? [] : parsed.issues, `${provider.id} ${resource}`).toEqual([]);
      }
    }
    expect(providers.filter((p) => p.defaultMappings).map((p) => p.id)).toEqual(['google-calendar', 'salesforce', 'hubspot', 'square', 'fresha']);
  });

  it('HubSpot contacts → Contact', () => {
    const data = dataset(hubspotDataSpecs.contacts, '4242001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const fields = data.fields(index);
      const id = data.idOf(index);
      const [created, updated] = [iso(data.createdAt[index]), iso(data.updatedAt[index])];
      const properties = { ...fields, createdate: created, lastmodifieddate: updated, hs_object_id: id };
      return { data: { id, properties, createdAt: created, updatedAt: updated, archived: false }, fields: { ...fields, created, updated }, index };
    });
    const stages: Record<string, string> = { marketingqualifiedlead: 'marketing_qualified', salesqualifiedlead: 'sales_qualified' };
    for (const { output, fields, index } of mapAll('hubspot', 'contacts', 'Contact', records)) {
      expect(output).toEqual({
        externalId: data.idOf(index),
        firstName: fields.firstname,
        lastName: fields.lastname,
        fullName: `${fields.firstname} ${fields.lastname}`,
        email: fields.email,
        phone: String(fields.phone).replace(/ /g, ''),
        company: fields.company,
        jobTitle: fields.jobtitle,
        lifecycleStage: stages[fields.lifecyclestage as string] ?? fields.lifecyclestage,
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
    }
  });

  it('HubSpot deals → Deal', () => {
    const data = dataset(hubspotDataSpecs.deals, '4242001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const fields = data.fields(index);
      const id = data.idOf(index);
      const [created, updated] = [iso(data.createdAt[index]), iso(data.updatedAt[index])];
      const properties = { ...fields, createdate: created, hs_lastmodifieddate: updated, hs_object_id: id };
      return { data: { id, properties, createdAt: created, updatedAt: updated, archived: false }, fields, index };
    });
    for (const { output, fields } of mapAll('hubspot', 'deals', 'Deal', records)) {
      expect(output).toMatchObject({
        name: fields.dealname,
        amount: Number(fields.amount),
        stage: fields.dealstage,
        status: fields.dealstage === 'closedwon' ? 'won' : fields.dealstage === 'closedlost' ? 'lost' : 'open',
        pipeline: 'default',
        closeDate: String(fields.closedate).slice(0, 10),
      });
      expect(typeof output.amount).toBe('number');
    }
  });

  const sfDateTime = (ms: number) => iso(ms).replace('Z', '+0000');
  function salesforceRecords(spec: ResourceSpec, object: string, names: string[]) {
    const data = dataset(spec, '00DSBX0000000001');
    return Array.from({ length: SIZE }, (_, index) => {
      const fields = data.fields(index);
      const id = data.idOf(index);
      const record: Fields = { attributes: { type: object, url: `/services/data/v62.0/sobjects/${object}/${id}` }, Id: id };
      record.SystemModstamp = sfDateTime(data.updatedAt[index]);
      record.IsDeleted = false;
      for (const name of names) record[name] = fields[name];
      record.CreatedDate = sfDateTime(data.createdAt[index]);
      record.LastModifiedDate = sfDateTime(data.updatedAt[index]);
      return { data: record, fields: { ...fields, id, created: iso(data.createdAt[index]), updated: iso(data.updatedAt[index]) }, index };
    });
  }

  it('Salesforce contacts → Contact', () => {
    const records = salesforceRecords(salesforceDataSpecs.contacts, 'Contact', ['FirstName', 'LastName', 'Email', 'Phone', 'Title', 'AccountId']);
    for (const { output, fields } of mapAll('salesforce', 'contacts', 'Contact', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        firstName: fields.FirstName,
        lastName: fields.LastName,
        fullName: `${fields.FirstName} ${fields.LastName}`,
        email: fields.Email,
        phone: String(fields.Phone).replace(/ /g, ''),
        jobTitle: fields.Title,
        companyExternalId: fields.AccountId,
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
      expect(output.companyExternalId).toMatch(/^001SBX/);
    }
  });

  it('Salesforce opportunities → Deal', () => {
    const records = salesforceRecords(salesforceDataSpecs.opportunities, 'Opportunity', ['Name', 'Amount', 'StageName', 'CloseDate', 'Probability', 'AccountId']);
    for (const { output, fields } of mapAll('salesforce', 'opportunities', 'Deal', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        name: fields.Name,
        amount: fields.Amount,
        stage: fields.StageName,
        status: fields.StageName === 'Closed Won' ? 'won' : fields.StageName === 'Closed Lost' ? 'lost' : 'open',
        probability: fields.Probability,
        closeDate: fields.CloseDate,
        companyExternalId: fields.AccountId,
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
    }
  });

  it('Google Calendar events → Appointment (timed and all-day)', () => {
    const account = 'ada@sandbox.example';
    const data = dataset(googleEventsSpec, account);
    const calendars = calendarsOf(account);
    const records = Array.from({ length: SIZE }, (_, index) => {
      const calendar = calendarOfEvent(index, calendars);
      // The sync stores each event with the calendar it came from.
      const event = { calendarId: calendar.id, ...renderEvent(data, index, calendar) } as Fields;
      return { data: event, fields: event, index };
    });
    for (const { output, fields } of mapAll('google-calendar', 'events', 'Appointment', records)) {
      const start = fields.start as { dateTime: string; timeZone: string };
      const end = fields.end as { dateTime: string };
      const attendees = (fields.attendees as { email: string }[]).map((a) => a.email);
      expect(output).toEqual({
        externalId: `${fields.calendarId}/${fields.id}`,
        title: fields.summary,
        description: fields.description,
        startsAt: new Date(start.dateTime).toISOString(),
        endsAt: new Date(end.dateTime).toISOString(),
        timeZone: 'Europe/London',
        status: 'confirmed',
        ...(fields.location ? { location: fields.location } : {}),
        ...(attendees.length > 0 ? { attendees } : {}),
        createdAt: fields.created,
        updatedAt: fields.updated,
      });
    }
    // All-day events carry dates, untitled events have no summary: both still map.
    const allDay = { calendarId: account, id: 'evt1', status: 'tentative', start: { date: '2026-12-25' }, end: { date: '2026-12-26' } };
    expect(applyMapping(compileMapping(mappingOf('google-calendar', 'events')), allDay)).toEqual({
      output: {
        externalId: `${account}/evt1`,
        title: '(No title)',
        startsAt: '2026-12-25T00:00:00.000Z',
        endsAt: '2026-12-26T00:00:00.000Z',
        status: 'pending',
      },
      errors: [],
    });
  });

  it('Square customers → Contact', () => {
    const data = dataset(squareDataSpecs.customers, 'MLSBX0000000001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const customer = {
        id: data.idOf(index),
        created_at: iso(data.createdAt[index]),
        updated_at: iso(data.updatedAt[index]),
        ...data.fields(index),
        preferences: { email_unsubscribed: false },
        creation_source: 'THIRD_PARTY',
        version: data.version[index] - 1,
      } as Fields;
      return { data: customer, fields: customer, index };
    });
    for (const { output, fields } of mapAll('square', 'customers', 'Contact', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        firstName: fields.given_name,
        lastName: fields.family_name,
        fullName: `${fields.given_name} ${fields.family_name}`,
        email: fields.email_address,
        phone: String(fields.phone_number).replace(/ /g, ''),
        company: fields.company_name,
        emailOptOut: false,
        ...(fields.note ? { notes: fields.note } : {}),
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });

  it('Square bookings → Appointment, the end from the first segment’s duration', () => {
    const data = dataset(squareDataSpecs.bookings, 'MLSBX0000000001');
    const statuses: Record<string, string> = { ACCEPTED: 'confirmed', PENDING: 'pending', CANCELLED_BY_CUSTOMER: 'cancelled', NO_SHOW: 'no_show', DECLINED: 'declined' };
    const records = Array.from({ length: SIZE }, (_, index) => {
      const { status, duration_minutes, service_variation_id, team_member_id, ...rest } = data.fields(index);
      const booking = {
        id: data.idOf(index),
        version: data.version[index] - 1,
        status,
        created_at: iso(data.createdAt[index]),
        updated_at: iso(data.updatedAt[index]),
        start_at: iso(data.startAt[index]).replace('.000Z', 'Z'),
        location_id: 'LSBX0000000001',
        ...rest,
        appointment_segments: [{ duration_minutes, service_variation_id, team_member_id, service_variation_version: 1 }],
        source: 'FIRST_PARTY_MERCHANT',
      } as Fields;
      return { data: booking, fields: { ...booking, minutes: duration_minutes, start: data.startAt[index] }, index };
    });
    for (const { output, fields } of mapAll('square', 'bookings', 'Appointment', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        title: 'Square booking',
        ...(fields.customer_note ? { description: fields.customer_note } : {}),
        startsAt: iso(fields.start as number),
        endsAt: iso((fields.start as number) + (fields.minutes as number) * 60_000),
        durationMinutes: fields.minutes,
        status: statuses[fields.status as string],
        customerExternalId: fields.customer_id,
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });

  it('Fresha clients → Contact', () => {
    const data = dataset(freshaDataSpecs.clients, 'fresha-sbx-0001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const attributes = { ...data.fields(index), created_at: iso(data.createdAt[index]), updated_at: iso(data.updatedAt[index]), deleted_at: null };
      return { data: { id: data.idOf(index), type: 'client', attributes }, fields: { ...attributes, id: data.idOf(index) } as Fields, index };
    });
    for (const { output, fields } of mapAll('fresha', 'clients', 'Contact', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        firstName: fields.first_name,
        lastName: fields.last_name,
        fullName: `${fields.first_name} ${fields.last_name}`,
        email: fields.email,
        phone: String(fields.phone).replace(/ /g, ''),
        ...(fields.notes ? { notes: fields.notes } : {}),
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });

  it('Fresha appointments → Appointment', () => {
    const data = dataset(freshaDataSpecs.appointments, 'fresha-sbx-0001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const { minutes, ...rest } = data.fields(index);
      const start = data.startAt[index];
      const attributes = {
        ...rest,
        starts_at: iso(start),
        ends_at: iso(start + (minutes as number) * 60_000),
        created_at: iso(data.createdAt[index]),
        updated_at: iso(data.updatedAt[index]),
        deleted_at: null,
      };
      return { data: { id: data.idOf(index), type: 'appointment', attributes }, fields: { ...attributes, id: data.idOf(index) } as Fields, index };
    });
    for (const { output, fields } of mapAll('fresha', 'appointments', 'Appointment', records)) {
      const price = fields.price as { amount: string; currency: string };
      expect(output).toEqual({
        externalId: fields.id,
        title: fields.service_name,
        serviceName: fields.service_name,
        staffName: fields.staff_name,
        startsAt: fields.starts_at,
        endsAt: fields.ends_at,
        status: fields.status,
        customerExternalId: fields.client_id,
        price: Number(price.amount),
        currency: 'GBP',
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });
});
