// HubSpot CRM v3 single objects: read one by id (or a contact by email, `idProperty=email`), and
// create a contact (POST /crm/v3/objects/contacts {properties}).
//
// A create takes the write scope. HubSpot keeps one contact per email (ignoring case): a second one
// answers 409 {"status":"error","message":"Contact already exists. Existing ID: <id>",
// "correlationId":…,"category":"CONFLICT"} (the shape HubSpot's clients report, e.g.
// HubSpot/hubspot-api-nodejs#545). A new contact is in listings and reads at once, and in the
// search only after the searchLagMs knob. Creates count as the `contactWrites` endpoint (so page
// faults can hit them) and honour dropResponseAfterWrite.
import { getDataset, type Dataset } from '../../data';
import { afterWrite, pageGate } from '../../data-faults';
import { readJson, json, type Route } from '../../http';
import { authorize, faults, HOST, hubspotDataSpecs, hubspotError, KNOWN, render, validation, type ObjectType } from './data';

const READ_ONLY = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate', 'hs_searchable_calculated_phone_number', 'hs_searchable_calculated_mobile_number']);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const notFound = () => hubspotError(404, { message: 'resource not found', category: 'OBJECT_NOT_FOUND' });

/** The live contact with this email (ignoring case), if any. */
export function contactByEmail(dataset: Dataset, email: string): number | undefined {
  const wanted = email.trim().toLowerCase();
  for (let i = 0; i < dataset.count; i++) {
    if (dataset.isDeleted(i)) continue;
    const value = dataset.fields(i).email;
    if (typeof value === 'string' && value.trim().toLowerCase() === wanted) return i;
  }
  return undefined;
}

/** A created record's fields are exactly what the create set (the generated ones are dropped). */
function replaceFields(dataset: Dataset, index: number, values: Record<string, string>) {
  const stored = dataset.fields(index);
  for (const key of Object.keys(stored)) delete stored[key];
  Object.assign(stored, values);
}

function readRoute(): Route {
  return {
    method: 'GET',
    hosts: [HOST],
    path: '/crm/v3/objects/{contacts|deals}/{id}',
    pattern: /^\/crm\/v3\/objects\/(?<type>contacts|deals)\/(?<id>[^/]+)$/,
    handle(ctx) {
      const type = ctx.params.type as ObjectType;
      const auth = authorize(ctx, type);
      if (!auth.ok) return auth.reply;
      const dataset = getDataset(ctx.state, hubspotDataSpecs[type], auth.account);
      const idProperty = ctx.query.get('idProperty') ?? 'hs_object_id';
      let index: number | undefined;
      if (idProperty === 'email' && type === 'contacts') index = contactByEmail(dataset, ctx.params.id);
      else if (idProperty === 'hs_object_id') index = /^\d+$/.test(ctx.params.id) ? dataset.indexOf(ctx.params.id) : undefined;
      else return validation(`${idProperty} is not a unique property of ${type}.`);
      const archived = ctx.query.get('archived') === 'true';
      if (index === undefined || dataset.isDeleted(index) !== archived) return notFound();
      const requested = ctx.query.getAll('properties').flatMap((value) => value.split(',')).filter(Boolean);
      return json(200, render(dataset, type, index, requested.length > 0 ? requested : type === 'contacts' ? ['firstname', 'lastname', 'email'] : KNOWN.deals));
    },
  };
}

const createRoute: Route = {
  method: 'POST',
  hosts: [HOST],
  path: '/crm/v3/objects/contacts',
  handle(ctx) {
    const auth = authorize(ctx, 'contacts', 'write');
    if (!auth.ok) return auth.reply;
    const body = readJson(ctx);
    if (!body.ok) return validation(body.reason);
    const given = body.value.properties;
    if (!given || typeof given !== 'object' || Array.isArray(given)) return validation('Invalid input JSON: properties must be an object of property names and values.');
    const values: Record<string, string> = {};
    const errors: Record<string, unknown>[] = [];
    for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
      if (READ_ONLY.has(name)) errors.push({ isValid: false, message: `${name} is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
      else if (!KNOWN.contacts.includes(name)) errors.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      else if (value === null || value === '') continue;
      else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') errors.push({ isValid: false, message: `${name} must be a string.`, error: 'INVALID_STRING', name });
      else values[name] = String(value);
    }
    if (values.email !== undefined && !EMAIL.test(values.email)) {
      errors.push({ isValid: false, message: `Email address ${values.email} is invalid`, error: 'INVALID_EMAIL', name: 'email' });
    }
    if (errors.length > 0) return hubspotError(400, { message: `Property values were not valid: ${JSON.stringify(errors)}`, category: 'VALIDATION_ERROR', errors });

    const refused = pageGate(ctx.state, 'hubspot.contactWrites', 1, faults);
    if (refused) return refused;
    const dataset = getDataset(ctx.state, hubspotDataSpecs.contacts, auth.account);
    if (values.email !== undefined) {
      const existing = contactByEmail(dataset, values.email);
      if (existing !== undefined) return hubspotError(409, { message: `Contact already exists. Existing ID: ${dataset.idOf(existing)}`, category: 'CONFLICT' });
    }
    const index = dataset.create(ctx.state.data.tick());
    replaceFields(dataset, index, values);
    return afterWrite(ctx.state, 'hubspot', json(201, render(dataset, 'contacts', index, Object.keys(values))));
  },
};

export const hubspotObjectRoutes: Route[] = [readRoute(), createRoute];
