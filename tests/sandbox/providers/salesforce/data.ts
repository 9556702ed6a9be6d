// Salesforce REST query and queryAll on each org's instance host. The result set is fixed when the
// query runs (as Salesforce's query locator is) and read in batches of Sforce-Query-Options
// batchSize (200-2000, default 2000) through nextRecordsUrl. queryAll adds deleted rows.
// Besides the synced Contacts and Opportunities, each org has a few Leads (the app searches them
// but does not sync them): their own small dataset, counted as the `leads` endpoint.
import { Dataset, getDataset, type ResourceSpec } from '../../data';
import { amount, between, company, email, jobTitle, personName, phone, pick } from '../../data-fake';
import { isoMs, pageGate, type FaultReplies } from '../../data-faults';
import { collect } from '../../data-view';
import { json, type Reply, type RequestContext, type Route } from '../../http';
import { authenticate } from '../../oauth';
import type { SandboxState } from '../../state';
import { findAccount, INSTANCE_HOSTS } from './accounts';
import { parseSoql, type Condition, type FieldType, type Literal, type SObject } from './soql';

/** A real 18-character id: 15 case-sensitive characters plus the case-safe checksum. */
export function salesforceId(prefix: string, index: number): string {
  const id15 = `${prefix}SBX${String(index).padStart(9, '0')}`;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id15[chunk * 5 + i])) bits |= 1 << i;
    suffix += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits];
  }
  return id15 + suffix;
}

/** Salesforce writes datetimes as 2026-11-01T10:00:00.000+0000. */
export const sfDateTime = (ms: number) => isoMs(ms).replace('Z', '+0000');
const STAGES: [string, number][] = [
  ['Prospecting', 10], ['Qualification', 10], ['Needs Analysis', 20], ['Value Proposition', 50], ['Id. Decision Makers', 60],
  ['Perception Analysis', 70], ['Proposal/Price Quote', 75], ['Negotiation/Review', 90], ['Closed Won', 100], ['Closed Lost', 0],
];

const contactSpec: ResourceSpec = {
  key: 'salesforce.contacts',
  provider: 'salesforce',
  resource: 'contacts',
  idOf: (index) => salesforceId('003', index),
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    const mail = email(first, last, index, rng);
    return { FirstName: first, LastName: last, Email: mail, Phone: phone(rng), Title: jobTitle(rng), AccountId: salesforceId('001', between(rng, 0, 49)) };
  },
  update(fields, rng) {
    const title = jobTitle(rng);
    fields.Title = title === fields.Title ? `Senior ${title}` : title;
    fields.Phone = phone(rng);
  },
};

const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted'];

const leadSpec: ResourceSpec = {
  key: 'salesforce.leads',
  provider: 'salesforce',
  resource: 'leads',
  idOf: (index) => salesforceId('00Q', index),
  generate(rng, { index }) {
    const { first, last } = personName(rng);
    return {
      FirstName: first,
      LastName: last,
      Email: `lead.${email(first, last, index, rng)}`,
      Phone: phone(rng),
      Company: company(rng),
      Title: jobTitle(rng),
      Status: pick(rng, LEAD_STATUSES),
      IsConverted: false,
    };
  },
  update(fields) {
    fields.Status = LEAD_STATUSES[(LEAD_STATUSES.indexOf(String(fields.Status)) + 1) % LEAD_STATUSES.length];
  },
};
/** Leads per org: enough to search among, not a synced dataset. */
const LEADS_PER_ORG = 20;

const opportunitySpec: ResourceSpec = {
  key: 'salesforce.opportunities',
  provider: 'salesforce',
  resource: 'opportunities',
  idOf: (index) => salesforceId('006', index),
  generate(rng, { createdAt }) {
    const [stage, probability] = pick(rng, STAGES);
    return {
      Name: `${company(rng)} - ${pick(rng, ['New Business', 'Renewal', 'Upsell', 'Services'])}`,
      Amount: amount(rng, 1000, 250_000),
      StageName: stage,
      Probability: probability,
      CloseDate: isoMs(createdAt + between(rng, 7, 180) * 86_400_000).slice(0, 10),
      AccountId: salesforceId('001', between(rng, 0, 49)),
    };
  },
  update(fields) {
    const at = STAGES.findIndex(([stage]) => stage === fields.StageName);
    const [stage, probability] = STAGES[(at + 1) % STAGES.length];
    fields.StageName = stage;
    fields.Probability = probability;
  },
};

const COMMON: Record<string, FieldType> = {
  Id: 'id',
  AccountId: 'id',
  CreatedDate: 'datetime',
  LastModifiedDate: 'datetime',
  SystemModstamp: 'datetime',
  IsDeleted: 'boolean',
};
const PERSON: Record<string, FieldType> = { FirstName: 'string', LastName: 'string', Email: 'string', Phone: 'string', MobilePhone: 'string', Title: 'string' };
export const SCHEMA: Record<SObject, Record<string, FieldType>> = {
  Contact: { ...COMMON, ...PERSON, Description: 'string' },
  Lead: { ...COMMON, ...PERSON, Company: 'string', Status: 'string', IsConverted: 'boolean', Description: 'string' },
  Opportunity: { ...COMMON, Name: 'string', Amount: 'number', StageName: 'string', CloseDate: 'date', Probability: 'number' },
};
export const salesforceDataSpecs = { contacts: contactSpec, opportunities: opportunitySpec };
const SPEC_OF: Record<SObject, ResourceSpec> = { Contact: contactSpec, Lead: leadSpec, Opportunity: opportunitySpec };
/** The data endpoint (stats, page faults) each object's reads count as. */
export const ENDPOINT_OF: Record<SObject, string> = { Contact: contactSpec.key, Lead: leadSpec.key, Opportunity: opportunitySpec.key };

/** An object's records in one org: the synced datasets as the data store builds them, Leads as a small dataset of their own. */
export function datasetFor(state: SandboxState, object: SObject, account: string): Dataset {
  if (object !== 'Lead') return getDataset(state, SPEC_OF[object], account);
  const key = `${leadSpec.key}|${account}`;
  let dataset = state.data.datasets.get(key);
  if (!dataset) {
    dataset = new Dataset(leadSpec, account, LEADS_PER_ORG, () => 0);
    state.data.datasets.set(key, dataset);
  }
  return dataset;
}

/**
 * How long a new record takes to reach the search index: the searchLagMs knob for salesforce,
 * default 0.
 */
export function searchLagMs(state: SandboxState): number {
  const lag = state.knobs.searchLagMs?.salesforce;
  return typeof lag === 'number' && lag > 0 ? lag : 0;
}

/** A field's value for filtering: datetimes as ms, everything else as rendered. */
export function valueOf(dataset: Dataset, index: number, field: string): Literal {
  switch (field) {
    case 'Id':
      return dataset.idOf(index);
    case 'CreatedDate':
      return dataset.createdAt[index];
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return dataset.updatedAt[index];
    case 'IsDeleted':
      return dataset.isDeleted(index);
    default:
      return (dataset.fields(index)[field] as Literal | undefined) ?? null;
  }
}

function matches(actual: Literal, condition: Condition): boolean {
  if (condition.op === 'IN') return condition.values.some((value) => matches(actual, { field: condition.field, op: '=', value }));
  const { op, value } = condition;
  // SOQL compares text case-insensitively.
  const [a, b] = typeof actual === 'string' && typeof value === 'string' ? [actual.toLowerCase(), value.toLowerCase()] : [actual, value];
  if (op === '=') return a === b;
  if (op === '!=') return a !== b;
  if (a === null || b === null) return false;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

export function render(dataset: Dataset, index: number, object: SObject, fields: string[], version: string) {
  const id = dataset.idOf(index);
  const record: Record<string, unknown> = { attributes: { type: object, url: `/services/data/${version}/sobjects/${object}/${id}` }, Id: id };
  for (const field of fields) {
    const value = valueOf(dataset, index, field);
    record[field] = SCHEMA[object][field] === 'datetime' ? sfDateTime(value as number) : value;
  }
  return record;
}

export const sfError = (status: number, errorCode: string, message: string, extra: Record<string, unknown> = {}) => json(status, [{ message, errorCode, ...extra }]);
export const faults: FaultReplies = {
  failed: (status) =>
    status === 503
      ? sfError(503, 'SERVER_UNAVAILABLE', 'Server is temporarily unavailable.')
      : sfError(status, status >= 500 ? 'UNKNOWN_EXCEPTION' : 'REQUEST_REFUSED', `Forced by the sandbox (HTTP ${status}).`),
  rateLimited: () => sfError(429, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
};

interface Locator {
  account: string;
  object: SObject;
  fields: string[];
  indices: Int32Array;
  /** Page numbers of the offsets handed out in nextRecordsUrl. */
  pages: Map<number, number>;
}

function batchSize(ctx: RequestContext): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(String(ctx.headers['sforce-query-options'] ?? ''));
  // Salesforce treats batchSize as a request, not a promise: out-of-range values are clamped.
  return match ? Math.min(2000, Math.max(200, Number(match[1]))) : 2000;
}

export function authorize(ctx: RequestContext): { ok: true; account: string } | { ok: false; reply: Reply } {
  const auth = authenticate(ctx, 'salesforce');
  const account = auth.ok ? findAccount(auth.grant.accountId) : undefined;
  // A session is valid on its own org's instance only.
  if (!auth.ok || !account || account.instanceHost !== ctx.host) {
    return { ok: false, reply: sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid') };
  }
  if (!auth.grant.scopes.some((scope) => scope === 'api' || scope === 'full')) {
    return { ok: false, reply: sfError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API') };
  }
  return { ok: true, account: account.id };
}

function startQuery(ctx: RequestContext, account: string, all: boolean): { ok: true; key: string; locator: Locator } | { ok: false; reply: Reply } {
  const soql = ctx.query.get('q');
  if (!soql) return { ok: false, reply: sfError(400, 'MALFORMED_QUERY', 'A query string has to be specified') };
  const parsed = parseSoql(soql, SCHEMA);
  if (!parsed.ok) return { ok: false, reply: sfError(400, parsed.errorCode, parsed.message) };
  const { object, fields, conditions, join, limit } = parsed.query;
  const dataset = datasetFor(ctx.state, object, account);
  // A lower bound on the modstamp (ANDed with the rest) lets the view skip straight to it.
  const bound = join === 'AND' ? conditions.find((c) => c.field === 'SystemModstamp' && (c.op === '>' || c.op === '>=') && typeof c.value === 'number') : undefined;
  const holds = (index: number) => (c: Condition) => matches(valueOf(dataset, index, c.field), c);
  const rows = collect(dataset, {
    order: 'modified',
    snapshot: ctx.state.data.snapshot(),
    include: all ? 'all' : 'live',
    ...(bound && bound.op !== 'IN' ? { min: { value: bound.value as number, inclusive: bound.op === '>=' } } : {}),
    where: conditions.length === 0 ? undefined : join === 'AND' ? (index) => conditions.every(holds(index)) : (index) => conditions.some(holds(index)),
  });
  const indices = limit === undefined ? rows : rows.subarray(0, limit);
  const key = `01gSBX${String(ctx.state.data.nextSerial()).padStart(12, '0')}`;
  const locator: Locator = { account, object, fields, indices, pages: new Map([[0, 1]]) };
  ctx.state.data.remember(`salesforce|${key}`, locator);
  return { ok: true, key, locator };
}

const queryRoute: Route = {
  method: 'GET',
  hosts: INSTANCE_HOSTS,
  path: '/services/data/vXX.X/query[All][/<locator>-<offset>]',
  pattern: /^\/services\/data\/(?<version>v\d+\.\d)\/(?<endpoint>query|queryAll)(?:\/(?<locator>[^/]+))?\/?$/,
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const { version, endpoint } = ctx.params;
    let key: string;
    let locator: Locator | undefined;
    let offset = 0;
    if (ctx.params.locator) {
      const match = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(ctx.params.locator);
      key = match?.[1] ?? '';
      offset = Number(match?.[2] ?? 0);
      locator = ctx.state.data.listings.get(`salesforce|${key}`) as Locator | undefined;
      if (!locator || locator.account !== auth.account || offset > locator.indices.length) {
        return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      }
    } else {
      const started = startQuery(ctx, auth.account, endpoint === 'queryAll');
      if (!started.ok) return started.reply;
      ({ key, locator } = started);
    }
    const size = batchSize(ctx);
    const page = locator.pages.get(offset) ?? Math.floor(offset / size) + 1;
    const refused = pageGate(ctx.state, ENDPOINT_OF[locator.object], page, faults);
    if (refused) return refused;

    const dataset = datasetFor(ctx.state, locator.object, auth.account);
    const end = Math.min(offset + size, locator.indices.length);
    const done = end >= locator.indices.length;
    if (!done) locator.pages.set(end, page + 1);
    return json(200, {
      totalSize: locator.indices.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${key}-${end}` }),
      records: Array.from(locator.indices.subarray(offset, end), (index) => render(dataset, index, locator.object, locator.fields, version)),
    });
  },
};

export const salesforceDataRoutes: Route[] = [queryRoute];
