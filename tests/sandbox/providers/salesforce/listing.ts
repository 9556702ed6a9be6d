// The reference client for an SObject: SOQL ordered by SystemModstamp, query for a full listing,
// queryAll (deleted rows included) from the newest modstamp seen for an incremental one.
import { failed, iso, maxMs, type Json, type ListingApi, type ListingClient } from '../../listing';
import { PROFILE } from './accounts';

export function sobjectClient(resource: string, object: string, fields: string) {
  return ({ call, size }: ListingApi): ListingClient => {
    const instance = `https://${PROFILE.accounts[0].instanceHost}`;
    return {
      key: `${PROFILE.id}.${resource}`,
      provider: PROFILE.id,
      start: (cursor) => ({ since: cursor?.since, newest: cursor?.since }),
      async step(state) {
        const where = state.since ? ` WHERE SystemModstamp > ${state.since}` : '';
        const soql = `SELECT Id, ${fields}, SystemModstamp, IsDeleted FROM ${object}${where} ORDER BY SystemModstamp ASC, Id ASC`;
        const url = state.nextRecordsUrl
          ? `${instance}${state.nextRecordsUrl}`
          : `${instance}/services/data/v62.0/${state.since ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
        const r = await call(url, { headers: { 'sforce-query-options': `batchSize=${Math.max(size, 200)}` } });
        if (r.status !== 200) return failed(r);
        const records = (r.body.records as Json[]).map((row) => ({ id: row.Id as string, deleted: row.IsDeleted === true, raw: row }));
        const newest = iso(maxMs([state.newest, ...records.map((x) => x.raw.SystemModstamp as string)]));
        if (!r.body.done) return { ...r, records, next: { ...state, nextRecordsUrl: r.body.nextRecordsUrl, newest } };
        return { ...r, records, cursor: { since: newest } };
      },
    };
  };
}
