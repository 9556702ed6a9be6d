// Mindbody v6 classes and their visits in the sandbox (shapes from the v6 class API ✔,
// api-evangelist/mindbody openapi/mindbody-class-api-openapi.yml):
//  - GET /class/classes: the classes starting within request.startDateTime–request.endDateTime,
//    paged by request.limit / request.offset. A class here is whatever the seeded visits name
//    (site.ts: one type at one start hour), so a class nobody visits is not listed.
//  - GET /class/classvisits?request.classID=…: { Class: { …, Visits } } ✔ with the class's visits;
//    request.lastModifiedDate keeps those "modified on or after" it ✔. Needs a staff user token ✔.
//    A removed visit is not listed at all.
import { pageGate } from '../../data-faults';
import type { Dataset, Fields } from '../../data';
import { json, type Route } from '../../http';
import { BASE, caller, classVisitsDataset, CLASS_TYPES, error, faults, HOST, classIdOf, localParam, LOCATIONS, pageParams, paginated, renderVisit, STAFF, staffJson } from './site';

/** The live visits' indices by class id (cheap: rendering a visit reads its time in the site's zone). */
function visitsByClass(dataset: Dataset): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  for (let index = 0; index < dataset.count; index++) {
    if (dataset.isDeleted(index)) continue;
    const id = classIdOf(Number(dataset.fields(index).ClassTypeId), dataset.startAt[index]);
    byClass.set(id, [...(byClass.get(id) ?? []), index]);
  }
  return byClass;
}

function renderClass(visits: Fields[]): Fields {
  const first = visits[0];
  const type = CLASS_TYPES.find((t) => t.Name === first.Name) ?? CLASS_TYPES[0];
  const staff = STAFF.find((s) => s.Id === type.StaffId) ?? STAFF[0];
  return {
    Id: first.ClassId,
    ClassScheduleId: type.Id,
    ClassDescription: { Id: type.Id, Name: type.Name },
    StartDateTime: first.StartDateTime,
    EndDateTime: first.EndDateTime,
    Staff: staffJson(staff),
    Location: { Id: LOCATIONS[0].Id, Name: LOCATIONS[0].Name },
    MaxCapacity: 20,
    TotalBooked: visits.length,
    TotalSignedIn: visits.filter((v) => v.SignedIn).length,
    IsCanceled: false,
    Active: true,
  };
}

/** A date or date-time parameter as site-local wall-clock text (an offset, if sent, is ignored). */
function wall(value: string | null): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return `${value.trim()}T00:00:00`;
  return localParam(value);
}

const classes: Route = {
  method: 'GET',
  hosts: [HOST],
  path: `${BASE}/class/classes`,
  handle(ctx) {
    const who = caller(ctx, false);
    if (!who.ok) return who.reply;
    const { site } = who.value;
    const page = pageParams(ctx);
    if (!page.ok) return page.reply;
    const refused = pageGate(ctx.state, 'mindbody.classes', Math.floor(page.value.offset / page.value.limit) + 1, faults);
    if (refused) return refused;
    const from = wall(ctx.query.get('request.startDateTime'));
    const to = wall(ctx.query.get('request.endDateTime'));
    if (!from || !to) return error(400, 'InvalidParameter', 'request.startDateTime and request.endDateTime are required date-times.');
    const dataset = classVisitsDataset(ctx, site);
    const list = [...visitsByClass(dataset).values()]
      .map((indices) => renderClass(indices.map((index) => renderVisit(dataset, index, site))))
      .filter((c) => String(c.StartDateTime) >= from && String(c.StartDateTime) < to)
      .sort((a, b) => String(a.StartDateTime).localeCompare(String(b.StartDateTime)) || Number(a.Id) - Number(b.Id));
    const { slice, PaginationResponse } = paginated(list, page.value);
    return json(200, { PaginationResponse, Classes: slice });
  },
};

const classVisits: Route = {
  method: 'GET',
  hosts: [HOST],
  path: `${BASE}/class/classvisits`,
  handle(ctx) {
    const who = caller(ctx, true);
    if (!who.ok) return who.reply;
    const { site } = who.value;
    const refused = pageGate(ctx.state, 'mindbody.class_visits', 1, faults);
    if (refused) return refused;
    const rawId = ctx.query.get('request.classID') ?? '';
    if (!/^\d{1,10}$/.test(rawId)) return error(400, 'InvalidParameter', 'request.classID is required.');
    const rawSince = ctx.query.get('request.lastModifiedDate');
    const since = rawSince ? Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(rawSince) ? rawSince : `${rawSince}Z`) : undefined;
    if (since !== undefined && Number.isNaN(since)) return error(400, 'InvalidParameter', 'request.lastModifiedDate must be a date-time.');
    const dataset = classVisitsDataset(ctx, site);
    const all = (visitsByClass(dataset).get(Number(rawId)) ?? []).map((index) => renderVisit(dataset, index, site));
    if (all.length === 0) return error(400, 'InvalidClassId', `Class ${rawId} does not exist.`);
    const visits = since === undefined ? all : all.filter((v) => Date.parse(String(v.LastModifiedDateTime)) >= since);
    return json(200, { Class: { ...renderClass(all), Visits: visits } });
  },
};

export const mindbodyClassRoutes: Route[] = [classes, classVisits];
