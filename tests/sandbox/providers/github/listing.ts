// The reference clients: repositories (GET /user/repos, sort=updated, ?since), and the issues and
// commits of every repository the account sees, each repository listed in turn (?since per
// repository on incremental listings), following the Link header's rel="next". GitHub's `since`
// includes the boundary second, so an incremental listing keeps only what changed after it.
import { failed, maxMs, type Json, type Listed, type ListingApi, type ListingClient, type Step } from '../../listing';
import { API, PROFILE } from './accounts';

const nextOf = (headers: Headers) => /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1];
const after = (records: Listed[], stamp: (raw: Json) => string, since: number | undefined) => (since === undefined ? records : records.filter((r) => Date.parse(stamp(r.raw)) > since));

export function repositoriesClient({ call, size }: ListingApi): ListingClient {
  return {
    key: `${PROFILE.id}.repositories`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.newest, newest: cursor?.newest ?? 0 }),
    async step(state) {
      const query = new URLSearchParams({ sort: 'updated', direction: 'asc', per_page: String(Math.min(size, 100)) });
      if (state.since) query.set('since', new Date(state.since).toISOString());
      const r = await call(state.url ?? `${API}/user/repos?${query}`);
      if (r.status !== 200) return failed(r);
      const all: Listed[] = (r.body as unknown as Json[]).map((x) => ({ id: String(x.id), deleted: false, raw: x }));
      const newest = maxMs(all.map((x) => x.raw.updated_at), state.newest);
      const records = after(all, (raw) => raw.updated_at, state.since);
      const next = nextOf(r.headers);
      if (next) return { ...r, records, next: { ...state, url: next, newest } };
      return { ...r, records, cursor: { newest } };
    },
  };
}

/** A listing over every repository of the account, one repository after another. */
function perRepoClient(resource: 'issues' | 'commits', { call, size }: ListingApi): ListingClient {
  const stamp = (raw: Json) => (resource === 'issues' ? raw.updated_at : raw.commit.committer.date);
  const idOf = (repo: string, raw: Json) => (resource === 'issues' ? String(raw.id) : `${repo}@${raw.sha}`);
  return {
    key: `${PROFILE.id}.${resource}`,
    provider: PROFILE.id,
    start: (cursor) => ({ since: cursor?.since ?? {}, newest: { ...(cursor?.since ?? {}) } }),
    async step(state): Promise<Step> {
      let repos: string[] | undefined = state.repos;
      if (!repos) {
        repos = [];
        let url: string | undefined = `${API}/user/repos?per_page=100&sort=full_name`;
        while (url) {
          const r = await call(url);
          if (r.status !== 200) return failed(r);
          repos.push(...(r.body as unknown as Json[]).map((x) => x.full_name as string));
          url = nextOf(r.headers);
        }
        state = { ...state, repos, index: 0 };
      }
      if (state.index >= repos.length) return { status: 200, headers: new Headers(), body: {}, records: [], cursor: { since: state.newest } };
      const repo = repos[state.index];
      const since: number | undefined = state.since[repo];
      const query = new URLSearchParams({ per_page: String(Math.min(size, 100)), ...(resource === 'issues' ? { state: 'all', sort: 'updated', direction: 'asc' } : {}) });
      if (since) query.set('since', new Date(since).toISOString());
      const r = await call(state.url ?? `${API}/repos/${repo}/${resource}?${query}`);
      if (r.status !== 200) return failed(r);
      const all: Listed[] = (r.body as unknown as Json[]).map((x) => ({ id: idOf(repo, x), deleted: resource === 'issues' && x.state === 'closed', raw: x }));
      const newest = { ...state.newest, [repo]: maxMs(all.map((x) => stamp(x.raw)), state.newest[repo] ?? 0) };
      const records = after(all, stamp, since);
      const next = nextOf(r.headers);
      if (next) return { ...r, records, next: { ...state, url: next, newest } };
      if (state.index + 1 < repos.length) return { ...r, records, next: { ...state, index: state.index + 1, url: undefined, newest } };
      return { ...r, records, cursor: { since: newest } };
    },
  };
}

export const issuesClient = (api: ListingApi) => perRepoClient('issues', api);
export const commitsClient = (api: ListingApi) => perRepoClient('commits', api);
