// Salesforce search on each org's instance host: SOSL on /services/data/vXX.X/search?q=FIND {…}
// and the same search without SOSL on /parameterizedSearch?q=…&sobject=…&<object>.fields=…&in=…
// (REST API Developer Guide, "Search" and "Parameterized Search"). Both answer
// {"searchRecords": [...]}, each record with its attributes and the fields asked for, objects in
// the order asked for. Contacts, Leads and Opportunities are searchable; records created within
// the searchLagMs knob are not indexed yet. Searches count as the `search` endpoint.
import { collect } from '../../data-view';
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { pageGate } from '../../data-faults';
import { INSTANCE_HOSTS } from './accounts';
import { authorize, datasetFor, faults, render, SCHEMA, searchLagMs, sfError, valueOf } from './data';
import { parseSearchString, parseSosl, satisfies, type ReturningSpec, type SearchGroup, type SearchNode } from './sosl';
import type { SObject } from './soql';

const OBJECTS = Object.keys(SCHEMA) as SObject[];
const DEFAULT_OVERALL_LIMIT = 2000;

/** The fields of an object a search group looks in. */
function searchedFields(object: SObject, group: SearchGroup): string[] {
  const text = Object.entries(SCHEMA[object])
    .filter(([, type]) => type === 'string')
    .map(([name]) => name);
  switch (group) {
    case 'PHONE':
      return text.filter((name) => name.endsWith('Phone'));
    case 'EMAIL':
      return text.filter((name) => name.endsWith('Email'));
    case 'NAME':
      return text.filter((name) => ['FirstName', 'LastName', 'Name', 'Company'].includes(name));
    default:
      return text;
  }
}

type Resolved = { ok: true; object: SObject; fields: string[]; limit?: number } | { ok: false; reply: Reply };

function resolve(spec: ReturningSpec): Resolved {
  const object = OBJECTS.find((name) => name.toLowerCase() === spec.object.toLowerCase());
  if (!object) return { ok: false, reply: sfError(400, 'INVALID_TYPE', `sObject type '${spec.object}' is not supported.`) };
  const fields: string[] = [];
  for (const name of spec.fields) {
    const field = Object.keys(SCHEMA[object]).find((known) => known.toLowerCase() === name.toLowerCase());
    if (!field) return { ok: false, reply: sfError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object}'.`) };
    if (!fields.includes(field)) fields.push(field);
  }
  return { ok: true, object, fields, limit: spec.limit };
}

/** Runs a search for one org: the records of each object, in the order asked for, within the limits. */
function run(ctx: RequestContext, account: string, version: string, search: SearchNode, group: SearchGroup, specs: ReturningSpec[], overallLimit: number): Reply {
  const resolved: Extract<Resolved, { ok: true }>[] = [];
  for (const spec of specs.length > 0 ? specs : OBJECTS.map((object) => ({ object, fields: [] }))) {
    const one = resolve(spec);
    if (!one.ok) return one.reply;
    resolved.push(one);
  }
  const refused = pageGate(ctx.state, 'salesforce.search', 1, faults);
  if (refused) return refused;
  const indexedBy = Date.now() - searchLagMs(ctx.state);
  const searchRecords: unknown[] = [];
  for (const { object, fields, limit } of resolved) {
    const dataset = datasetFor(ctx.state, object, account);
    const looked = searchedFields(object, group);
    const rows = collect(dataset, {
      order: 'id',
      snapshot: ctx.state.data.snapshot(),
      include: 'live',
      where: (index) =>
        dataset.createdAt[index] <= indexedBy &&
        satisfies(
          search,
          looked.map((field) => valueOf(dataset, index, field)).filter((value): value is string => typeof value === 'string'),
        ),
    });
    const room = Math.min(limit ?? overallLimit, overallLimit - searchRecords.length);
    for (const index of rows.subarray(0, Math.max(0, room))) searchRecords.push(render(dataset, index, object, fields, version));
  }
  return json(200, { searchRecords });
}

const searchRoute: Route = {
  method: 'GET',
  hosts: INSTANCE_HOSTS,
  path: '/services/data/vXX.X/search',
  pattern: /^\/services\/data\/(?<version>v\d+\.\d)\/search\/?$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const sosl = ctx.query.get('q');
    if (!sosl) return sfError(400, 'MALFORMED_SEARCH', 'No search term found. The search term must be at least 2 characters long.');
    const parsed = parseSosl(sosl);
    if (!parsed.ok) return sfError(400, parsed.errorCode, parsed.message);
    const { search, group, returning, limit } = parsed.value;
    return run(ctx, auth.account, ctx.params.version, search, group, returning, Math.min(limit ?? DEFAULT_OVERALL_LIMIT, DEFAULT_OVERALL_LIMIT));
  },
};

const GROUPS: SearchGroup[] = ['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'];

const parameterizedSearchRoute: Route = {
  method: 'GET',
  hosts: INSTANCE_HOSTS,
  path: '/services/data/vXX.X/parameterizedSearch',
  pattern: /^\/services\/data\/(?<version>v\d+\.\d)\/parameterizedSearch\/?$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const q = ctx.query.get('q');
    if (!q) return sfError(400, 'MISSING_ARGUMENT', 'Missing required parameter: q');
    const parsed = parseSearchString(q);
    if (!parsed.ok) return sfError(400, parsed.errorCode, parsed.message);
    const group = (ctx.query.get('in') ?? 'ALL').toUpperCase() as SearchGroup;
    if (!GROUPS.includes(group)) return sfError(400, 'INVALID_SEARCH_SCOPE', `Invalid value for in: ${ctx.query.get('in')}`);
    const number = (name: string) => {
      const value = ctx.query.get(name);
      return value && /^\d+$/.test(value) ? Number(value) : undefined;
    };
    const defaultLimit = number('defaultLimit');
    const specs: ReturningSpec[] = ctx.query.getAll('sobject').map((object) => ({
      object,
      fields: (ctx.query.get(`${object}.fields`) ?? '').split(',').map((f) => f.trim()).filter(Boolean),
      limit: number(`${object}.limit`) ?? defaultLimit,
    }));
    return run(ctx, auth.account, ctx.params.version, parsed.value, group, specs, Math.min(number('overallLimit') ?? DEFAULT_OVERALL_LIMIT, DEFAULT_OVERALL_LIMIT));
  },
};

export const salesforceSearchRoutes: Route[] = [searchRoute, parameterizedSearchRoute];
