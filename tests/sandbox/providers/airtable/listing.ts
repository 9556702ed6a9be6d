// The reference client for airtable.records: a full listing pages every table of every base with
// `offset` and notes, first, each base's webhook payload cursor (cursorForNextPayload); an
// incremental listing reads the payloads from that cursor and reads back the records they name
// (destroyed ones are tombstones) — as the app's sync does.
import { failed, type Json, type Listed, type ListingApi, type ListingClient, type Step } from '../../listing';
import { API, PROFILE } from './accounts';

const done = (records: Listed[], cursor: Json): Step => ({ status: 200, headers: new Headers(), body: {}, records, cursor });

export function recordsClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.records`,
    provider: PROFILE.id,
    start: (cursor) => ({ previous: cursor?.webhooks, tables: undefined }),
    async step(state) {
      if (!state.tables) {
        const bases = await call(`${API}/meta/bases`);
        if (bases.status !== 200) return failed(bases);
        const tables: Json[] = [];
        const webhooks: Json = {};
        const records: Listed[] = [];
        for (const base of bases.body.bases as Json[]) {
          const schema = await call(`${API}/meta/bases/${base.id}/tables`);
          if (schema.status !== 200) return failed(schema);
          const hooks = await call(`${API}/bases/${base.id}/webhooks`);
          if (hooks.status !== 200) return failed(hooks);
          const hook = (hooks.body.webhooks as Json[])[0];
          const tracked = state.previous?.[base.id];
          if (tracked && hook?.id === tracked.id) {
            let cursor = tracked.cursor;
            const touched = new Set<string>();
            const destroyed = new Set<string>();
            for (;;) {
              const page = await call(`${API}/bases/${base.id}/webhooks/${hook.id}/payloads?cursor=${cursor}`);
              if (page.status !== 200) return failed(page);
              for (const payload of page.body.payloads as Json[]) {
                for (const change of Object.values(payload.changedTablesById ?? {}) as Json[]) {
                  for (const id of [...Object.keys(change.createdRecordsById ?? {}), ...Object.keys(change.changedRecordsById ?? {})]) touched.add(id);
                  for (const id of change.destroyedRecordIds ?? []) destroyed.add(id);
                }
              }
              cursor = page.body.cursor;
              if (!page.body.mightHaveMore) break;
            }
            webhooks[base.id] = { id: hook.id, cursor };
            for (const id of destroyed) records.push({ id, deleted: true, raw: { id } });
            const live = [...touched].filter((id) => !destroyed.has(id));
            for (const table of schema.body.tables as Json[]) {
              if (live.length === 0) break;
              const formula = encodeURIComponent(`OR(${live.map((id) => `RECORD_ID()='${id}'`).join(',')})`);
              const read = await call(`${API}/${base.id}/${table.id}?filterByFormula=${formula}`);
              if (read.status !== 200) return failed(read);
              records.push(...(read.body.records as Json[]).map((r) => ({ id: r.id, deleted: false, raw: r })));
            }
            continue;
          }
          if (hook) webhooks[base.id] = { id: hook.id, cursor: hook.cursorForNextPayload };
          for (const table of schema.body.tables as Json[]) tables.push({ baseId: base.id, tableId: table.id });
        }
        if (tables.length === 0) return done(records, { webhooks });
        return { status: 200, headers: new Headers(), body: {}, records, next: { tables, index: 0, webhooks } };
      }
      const table = state.tables[state.index];
      const query = new URLSearchParams({ pageSize: String(Math.min(size, 100)) });
      if (state.offset) query.set('offset', state.offset);
      const r = await call(`${API}/${table.baseId}/${table.tableId}?${query}`);
      if (r.status !== 200) return failed(r);
      const records = (r.body.records as Json[]).map((x) => ({ id: x.id, deleted: false, raw: x }));
      if (r.body.offset) return { ...r, records, next: { ...state, offset: r.body.offset } };
      if (state.index + 1 < state.tables.length) return { ...r, records, next: { ...state, index: state.index + 1, offset: undefined } };
      return { ...r, records, cursor: { webhooks: state.webhooks } };
    },
  };
}
