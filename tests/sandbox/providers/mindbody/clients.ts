// Mindbody v6 clients in the sandbox:
//  - GET /client/clients: request.clientIds, or request.searchText, which "can include FirstName,
//    LastName, and Email" and needs a staff user token ("user credentials must be provided") ✔.
//    The sandbox also matches phone numbers by their digits (unverified: Mindbody's search of
//    phones is not documented). Paged with request.limit / request.offset.
//    request.lastModifiedDate keeps the clients "modified on or after this date" ✔ and
//    request.includeInactive (default false ✔) adds inactive ones: a client the business deactivates
//    (the sandbox's deletion) stays listed with Active false.
//  - POST /client/addclient: FirstName and LastName are required ✔; answers { Client }. Commits
//    through afterWrite (the dropResponseAfterWrite knob).
import { afterWrite, pageGate } from '../../data-faults';
import { json, readJson, type Route } from '../../http';
import { BASE, caller, error, faults, HOST, listParam, pageParams, paginated, renderClient, replaceFields } from './site';

const PROVIDER = 'mindbody';
const digits = (value: unknown) => (typeof value === 'string' ? value.replace(/\D/g, '') : '');

const clients: Route = {
  method: 'GET',
  hosts: [HOST],
  path: `${BASE}/client/clients`,
  handle(ctx) {
    const search = ctx.query.get('request.searchText')?.trim() ?? '';
    const who = caller(ctx, search !== '');
    if (!who.ok) return who.reply;
    const { site, store } = who.value;
    const page = pageParams(ctx);
    if (!page.ok) return page.reply;
    const endpoint = search ? 'mindbody.clientSearch' : 'mindbody.clients';
    const refused = pageGate(ctx.state, endpoint, Math.floor(page.value.offset / page.value.limit) + 1, faults);
    if (refused) return refused;
    const rawSince = ctx.query.get('request.lastModifiedDate');
    const since = rawSince ? Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(rawSince) ? rawSince : `${rawSince}Z`) : undefined;
    if (since !== undefined && Number.isNaN(since)) return error(400, 'InvalidParameter', 'request.lastModifiedDate must be a date-time.');
    const includeInactive = ctx.query.get('request.includeInactive') === 'true';
    const ids = new Set(listParam(ctx, 'request.clientIds'));
    const text = search.toLowerCase();
    const number = digits(search);
    const dataset = store.clients;
    const found = [];
    for (let index = 0; index < dataset.count; index++) {
      if (dataset.isDeleted(index) && !includeInactive) continue;
      if (since !== undefined && dataset.updatedAt[index] < since) continue;
      if (ids.size > 0 && !ids.has(dataset.idOf(index))) continue;
      if (text) {
        const f = dataset.fields(index);
        const names = [f.FirstName, f.LastName, `${String(f.FirstName ?? '')} ${String(f.LastName ?? '')}`, f.Email].map((v) => String(v ?? '').toLowerCase());
        const byText = names.some((v) => v.includes(text));
        const byPhone = number.length >= 6 && [f.MobilePhone, f.HomePhone, f.WorkPhone].some((p) => digits(p).includes(number));
        if (!byText && !byPhone) continue;
      }
      found.push(renderClient(dataset, index, site));
    }
    const { slice, PaginationResponse } = paginated(found, page.value);
    return json(200, { PaginationResponse, Clients: slice });
  },
};

const addClient: Route = {
  method: 'POST',
  hosts: [HOST],
  path: `${BASE}/client/addclient`,
  handle(ctx) {
    const who = caller(ctx, true);
    if (!who.ok) return who.reply;
    const { site, store } = who.value;
    const refused = pageGate(ctx.state, 'mindbody.clientWrites', 1, faults);
    if (refused) return refused;
    const parsed = readJson(ctx);
    if (!parsed.ok) return error(400, 'InvalidParameter', parsed.reason);
    const body = parsed.value;
    const text = (name: string) => (typeof body[name] === 'string' && (body[name] as string).trim() ? (body[name] as string).trim() : undefined);
    const [first, last] = [text('FirstName'), text('LastName')];
    if (!first || !last) return error(400, 'MissingRequiredFields', 'FirstName and LastName are required.');
    const email = text('Email');
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return error(400, 'InvalidParameter', 'Email is not an email address.');
    const fields = { FirstName: first, LastName: last, Email: email, MobilePhone: text('MobilePhone'), HomePhone: text('HomePhone'), WorkPhone: text('WorkPhone'), Notes: text('Notes') };
    if (body.Test === true) return json(200, { Client: { Id: null, ...fields } });
    const dataset = store.clients;
    const index = dataset.create(ctx.state.data.tick());
    replaceFields(dataset, index, fields);
    return afterWrite(ctx.state, PROVIDER, json(200, { Client: renderClient(dataset, index, site) }));
  },
};

export const mindbodyClientRoutes: Route[] = [clients, addClient];
