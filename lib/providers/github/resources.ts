// What syncs: the repositories the token can see (always), and the issues (pull requests included,
// as GitHub's issues listing includes them) and commits of the repositories the admin chose
// (ProviderClient.selection, "owner/name" each; none chosen = nothing but the repository list).
//
// Incremental listings use GitHub's own filters (https://docs.github.com/en/rest):
//   GET /user/repos?since=              repositories updated after the time
//   GET /repos/{o}/{r}/issues?since=    issues and pull requests updated at or after the time
//   GET /repos/{o}/{r}/commits?since=   commits whose date is at or after the time
// Per repository the cursor keeps the newest time seen and, when the next request will be the same
// URL, the first page's ETag: sent as If-None-Match, an unchanged repository answers 304, costing
// no primary rate limit and no records. A repository chosen since the last listing has no cursor
// entry yet and is listed in full. Repositories that are deleted (or no longer visible) vanish from
// GET /user/repos; closed issues stay listed with state "closed"; commits are immutable, and a
// force-push makes them vanish, which a full listing settles.
import { z } from 'zod';
import { ProviderHttpError } from '../errors';
import type { FetchedRecord, PageRequest, PageResult, ProviderClient, SyncResource } from '../types';
import { commit, conditionalGet, issue, PAGE_SIZE, repoPath, repository, type Commit, type Issue } from './api';

const repoCursor = z.object({ since: z.string().nullable(), etag: z.string().nullable() });
const perRepoCursor = z.object({ repos: z.record(z.string(), repoCursor) });
type PerRepoCursor = z.infer<typeof perRepoCursor>;

const perRepoPage = z.object({
  repos: z.array(z.string()),
  index: z.number().int().min(0),
  /** The Link rel="next" URL of the repository being walked, or null to start it. */
  url: z.string().nullable(),
  /** The first page's ETag of this repository's listing, when it may be reused next time. */
  etag: z.string().nullable(),
  newest: z.string().nullable(),
  done: z.record(z.string(), repoCursor),
});
type PerRepoPage = z.infer<typeof perRepoPage>;

/** The later of two ISO times (either may be null). */
function later(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

interface PerRepoListing<T> {
  /** The path under the repository and its fixed query. */
  path: string;
  query: Record<string, string>;
  item: z.ZodType<T>;
  toRecord(repo: string, item: T): FetchedRecord;
  /** The time the `since` filter compares. */
  stampOf(item: T): string | null;
  /** Answers that mean "nothing here" rather than a failure (an empty repository's commits: 409). */
  emptyStatuses?: number[];
}

/** Requests one page may make while the repositories it walks answer nothing (304s, empty ones). */
const QUIET_REQUESTS_PER_PAGE = 10;

/**
 * One page of a listing that walks the chosen repositories one after another. Repositories that
 * answer nothing (304, empty) do not each cost a page: up to QUIET_REQUESTS_PER_PAGE of them are
 * walked in one, so an unchanged choice of many repositories is a few checkpoints, not one each.
 */
async function perRepoPageOf<T>(client: ProviderClient, request: PageRequest, listing: PerRepoListing<T>): Promise<PageResult> {
  const cursor: PerRepoCursor = request.listing === 'incremental' ? perRepoCursor.parse(request.cursor ?? { repos: {} }) : { repos: {} };
  let state: PerRepoPage = request.page
    ? perRepoPage.parse(request.page)
    : { repos: [...(client.selection ?? [])], index: 0, url: null, etag: null, newest: null, done: {} };
  for (let requests = 0; state.index < state.repos.length; requests++) {
    const { records, next } = await perRepoStep(client, request, listing, cursor, state);
    state = next;
    if (records.length > 0 || requests + 1 >= QUIET_REQUESTS_PER_PAGE) {
      return state.index >= state.repos.length ? { records, next: null, cursor: { repos: state.done } } : { records, next: state };
    }
  }
  return { records: [], next: null, cursor: { repos: state.done } };
}

/** One request of the walk: a page of the current repository, and where the walk goes on. */
async function perRepoStep<T>(
  client: ProviderClient,
  request: PageRequest,
  listing: PerRepoListing<T>,
  cursor: PerRepoCursor,
  state: PerRepoPage,
): Promise<{ records: FetchedRecord[]; next: PerRepoPage }> {
  const repo = state.repos[state.index];
  const previous = cursor.repos[repo];
  const first = state.url === null;
  let url = state.url;
  if (first) {
    const query = new URLSearchParams({ ...listing.query, per_page: String(PAGE_SIZE) });
    if (previous?.since) query.set('since', previous.since);
    url = `${repoPath(repo)}${listing.path}?${query}`;
  }
  let answer: Awaited<ReturnType<typeof conditionalGet<unknown>>>;
  try {
    answer = await conditionalGet<unknown>(client, url!, first ? (previous?.etag ?? null) : null);
  } catch (error) {
    // A repository deleted or no longer visible since it was chosen lists nothing (the choice stays for the admin to change).
    if (error instanceof ProviderHttpError && (error.status === 404 || listing.emptyStatuses?.includes(error.status))) {
      answer = { notModified: false, body: [], etag: null, next: null };
    } else throw error;
  }
  const advance = (entry: z.infer<typeof repoCursor>): PerRepoPage => ({ ...state, done: { ...state.done, [repo]: entry }, index: state.index + 1, url: null, etag: null, newest: null });
  if (answer.notModified) return { records: [], next: advance(previous!) };
  const items = z.array(listing.item).parse(answer.body);
  const records = items.map((item) => listing.toRecord(repo, item));
  const newest = items.reduce<string | null>((max, item) => later(max, listing.stampOf(item)), state.newest);
  const etag = first ? answer.etag : state.etag;
  if (answer.next) return { records, next: { ...state, url: answer.next, etag, newest } };
  const since = later(previous?.since ?? null, newest);
  // The next listing requests ?since=<since>: the ETag is only worth keeping for that same URL.
  const reusable = request.listing === 'incremental' && first && since === (previous?.since ?? null) ? etag : null;
  return { records, next: advance({ since, etag: reusable }) };
}

export const issueExternalId = (item: Pick<Issue, 'id'>) => String(item.id);
export const commitExternalId = (repo: string, sha: string) => `${repo}@${sha}`;

export const issues: SyncResource = {
  id: 'issues',
  label: 'Issues and pull requests',
  requiredScopes: ['repo'],
  fetchPage: (client, request) =>
    perRepoPageOf(client, request, {
      path: '/issues',
      query: { state: 'all', sort: 'updated', direction: 'asc' },
      item: issue,
      toRecord: (_repo, item: Issue) => ({ externalId: issueExternalId(item), data: item }),
      stampOf: (item: Issue) => item.updated_at,
    }),
};

export const commits: SyncResource = {
  id: 'commits',
  label: 'Commits',
  requiredScopes: ['repo'],
  fetchPage: (client, request) =>
    perRepoPageOf(client, request, {
      path: '/commits',
      query: {},
      item: commit,
      // The repository is kept with the commit: GitHub's commit object does not name it.
      toRecord: (repo, item: Commit) => ({ externalId: commitExternalId(repo, item.sha), data: { ...item, repository: repo } }),
      stampOf: (item: Commit) => item.commit.committer?.date ?? null,
      emptyStatuses: [409],
    }),
};

const reposPage = z.object({ url: z.string(), newest: z.string().nullable() });
const reposCursor = z.object({ newest: z.string().nullable() });

export const repositories: SyncResource = {
  id: 'repositories',
  label: 'Repositories',
  async fetchPage(client, request): Promise<PageResult> {
    const since = request.listing === 'incremental' ? reposCursor.parse(request.cursor ?? { newest: null }).newest : null;
    let state: z.infer<typeof reposPage>;
    if (request.page) state = reposPage.parse(request.page);
    else {
      const query = new URLSearchParams({ sort: 'updated', direction: 'asc', per_page: String(PAGE_SIZE) });
      if (since) query.set('since', since);
      state = { url: `/user/repos?${query}`, newest: since };
    }
    const answer = await conditionalGet<unknown>(client, state.url, null);
    if (answer.notModified) return { records: [], next: null, cursor: { newest: state.newest } };
    const items = z.array(repository).parse(answer.body);
    const newest = items.reduce<string | null>((max, item) => later(max, item.updated_at), state.newest);
    const records = items.map((item) => ({ externalId: String(item.id), data: item }));
    if (answer.next) return { records, next: { url: answer.next, newest } };
    return { records, next: null, cursor: { newest } };
  },
};
