// GitHub's data in the sandbox: each account's repositories, the issues and pull requests in them
// (one dataset: GitHub's issues listing holds both; a pull request carries `pull_request`), and
// their commits. Listings as GitHub pages them (https://docs.github.com/en/rest):
//   GET /user/repos?sort&direction&since&per_page&page           deleted repositories vanish
//   GET /repos/{o}/{r}/issues?state&sort&direction&since&per_page&page
//       a "deleted" issue is a closed one: still listed with state=all (a status change)
//   GET /repos/{o}/{r}/commits?since&per_page&page               newest first; a force-push makes commits vanish
// Pages are numbered (page=1…), with a Link header for rel="next"/"last"; every answer has an ETag
// (a hash of its body) and answers 304 to a matching If-None-Match without spending rate limit.
// The sandbox's "update" of a commit amends its message and committer date in place (keeping its
// sha), so the contract's edits have something to find; real commits are immutable.
import crypto from 'node:crypto';
import { getDataset, type Dataset, type ResourceSpec } from '../../data';
import { between, personName, pick, tag } from '../../data-fake';
import { intParam, isoMs, pageGate, parseTimestamp, type FaultReplies } from '../../data-faults';
import { collect, type ViewQuery } from '../../data-view';
import { type Reply, type RequestContext, type Route } from '../../http';
import { API, API_HOST, findByLogin, PROFILE, userObject, WEB, type GithubAccount } from './accounts';
import { apiError, authorize, rateHeaders } from './oauth';

const PROVIDER = PROFILE.id;
const WORDS = ['website', 'api', 'docs', 'mobile', 'infra', 'design-system', 'cli', 'data-pipeline'];
const LABELS = ['bug', 'enhancement', 'documentation', 'good first issue', 'help wanted', 'question'];
const TITLES = ['Crash on startup', 'Add dark mode', 'Typo in README', 'Slow search results', 'Upgrade dependencies', 'Flaky test in CI', 'Support SSO', 'Broken link in footer'];
const VERBS = ['Fix', 'Add', 'Refactor', 'Update', 'Remove', 'Document'];
const THINGS = ['login flow', 'build script', 'README', 'API client', 'cache layer', 'tests', 'CI workflow'];

const digit = (account: string) => String(Number(account) % 10);
/** Second-resolution ISO time, as GitHub writes them. */
export const ghTime = (ms: number) => isoMs(Math.floor(ms / 1000) * 1000).replace('.000Z', 'Z');

export const reposSpec: ResourceSpec = {
  key: 'github.repositories',
  provider: PROVIDER,
  resource: 'repositories',
  idOf: (index, account) => `${digit(account)}${String(index).padStart(8, '0')}`,
  generate: (rng) => ({ description: `${pick(rng, ['Our', 'The', 'A small'])} ${pick(rng, THINGS)}`, private: rng() < 0.4, revision: 1 }),
  update(fields, rng) {
    fields.description = `${pick(rng, ['Updated:', 'Now:'])} ${pick(rng, THINGS)}`;
    fields.revision = (fields.revision as number) + 1;
  },
};

export const issuesSpec: ResourceSpec = {
  key: 'github.issues',
  provider: PROVIDER,
  resource: 'issues',
  idOf: (index, account) => `3${digit(account)}${String(index).padStart(8, '0')}`,
  generate(rng, { sizeOf }) {
    const pullRequest = rng() < 0.3;
    return {
      repo: between(rng, 0, Math.max(sizeOf('repositories') - 1, 0)),
      pull: pullRequest,
      title: pullRequest ? `${pick(rng, VERBS)} ${pick(rng, THINGS)}` : pick(rng, TITLES),
      body: rng() < 0.8 ? `Steps, context and notes (${Math.floor(rng() * 1000)}).` : null,
      labels: [pick(rng, LABELS)],
      assignee: rng() < 0.5,
      revision: 1,
    };
  },
  update(fields, rng) {
    fields.labels = [pick(rng, LABELS), pick(rng, LABELS)].filter((v, i, all) => all.indexOf(v) === i);
    fields.revision = (fields.revision as number) + 1;
  },
};

export const commitsSpec: ResourceSpec = {
  key: 'github.commits',
  provider: PROVIDER,
  resource: 'commits',
  idOf: (index, account) => `${tag(`github:${account}`)}${index.toString(16).padStart(8, '0')}${crypto.createHash('sha1').update(`${account}:${index}`).digest('hex').slice(0, 24)}`,
  generate(rng, { sizeOf }) {
    const { first, last } = personName(rng);
    return { repo: between(rng, 0, Math.max(sizeOf('repositories') - 1, 0)), message: `${pick(rng, VERBS)} ${pick(rng, THINGS)}`, author: `${first} ${last}`, revision: 1 };
  },
  update(fields) {
    fields.revision = (fields.revision as number) + 1;
    fields.message = `${String(fields.message).replace(/ \(amended.*\)$/, '')} (amended ${fields.revision})`;
  },
};

export const githubSpecs = { repositories: reposSpec, issues: issuesSpec, commits: commitsSpec };

export const faults: FaultReplies = {
  failed: (status) => apiError(status, `Forced by the sandbox (HTTP ${status}).`),
  // A secondary rate limit: 403, and pageGate adds Retry-After (the primary limit is not exhausted).
  rateLimited: () =>
    apiError(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4990',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    }),
};

export const repoName = (index: number) => `${WORDS[index % WORDS.length]}-${index}`;
export const fullNameOf = (account: GithubAccount, index: number) => `${account.login}/${repoName(index)}`;

/** The repository named owner/name of the bearer's account, or the 404 to answer. */
export function findRepo(ctx: RequestContext, account: GithubAccount): { ok: true; repos: Dataset; index: number; fullName: string } | { ok: false; reply: Reply } {
  const notFound = { ok: false as const, reply: apiError(404, 'Not Found') };
  const owner = findByLogin(ctx.params.owner ?? '');
  if (!owner || owner.id !== account.id) return notFound;
  const match = /-(\d+)$/.exec(ctx.params.repo ?? '');
  if (!match) return notFound;
  const repos = getDataset(ctx.state, reposSpec, account.id);
  const index = Number(match[1]);
  if (index >= repos.count || repos.isDeleted(index) || repoName(index) !== ctx.params.repo) return notFound;
  return { ok: true, repos, index, fullName: fullNameOf(account, index) };
}

export function renderRepo(account: GithubAccount, repos: Dataset, index: number) {
  const fields = repos.fields(index);
  const name = repoName(index);
  const full = `${account.login}/${name}`;
  return {
    id: Number(repos.idOf(index)),
    node_id: `R_${repos.idOf(index)}`,
    name,
    full_name: full,
    private: fields.private,
    owner: userObject(account),
    html_url: `${WEB}/${full}`,
    description: fields.description,
    fork: false,
    url: `${API}/repos/${full}`,
    created_at: ghTime(repos.createdAt[index]),
    updated_at: ghTime(repos.updatedAt[index]),
    pushed_at: ghTime(repos.updatedAt[index]),
    default_branch: 'main',
    visibility: fields.private ? 'private' : 'public',
    archived: false,
    has_issues: true,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
  };
}

export function renderIssue(account: GithubAccount, issues: Dataset, index: number) {
  const fields = issues.fields(index);
  const full = fullNameOf(account, fields.repo as number);
  const number = index + 1;
  const closed = issues.isDeleted(index);
  const html = `${WEB}/${full}/${fields.pull ? 'pull' : 'issues'}/${number}`;
  return {
    url: `${API}/repos/${full}/issues/${number}`,
    repository_url: `${API}/repos/${full}`,
    html_url: html,
    id: Number(issues.idOf(index)),
    node_id: `I_${issues.idOf(index)}`,
    number,
    title: fields.title,
    user: userObject(account),
    labels: (fields.labels as string[]).map((name) => ({ id: Number(`9${tag(name).slice(0, 6).replace(/\D/g, '1')}`), name, color: 'd73a4a', default: true })),
    state: closed ? 'closed' : 'open',
    state_reason: closed ? 'completed' : null,
    locked: false,
    assignees: fields.assignee ? [userObject(account)] : [],
    comments: 0,
    created_at: ghTime(issues.createdAt[index]),
    updated_at: ghTime(issues.updatedAt[index]),
    closed_at: closed ? ghTime(issues.deletedAt[index]) : null,
    author_association: 'OWNER',
    body: fields.body,
    ...(fields.pull
      ? { draft: false, pull_request: { url: `${API}/repos/${full}/pulls/${number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: null } }
      : {}),
  };
}

export function renderPull(account: GithubAccount, issues: Dataset, index: number) {
  const issue = renderIssue(account, issues, index);
  const { pull_request: links, repository_url: repoUrl, ...rest } = issue as typeof issue & { pull_request: { url: string; html_url: string } };
  return { ...rest, url: links.url, html_url: links.html_url, merged_at: null, head: { ref: `feature-${index}`, sha: '0'.repeat(40) }, base: { ref: 'main', repo: { url: repoUrl } } };
}

export function renderCommit(account: GithubAccount, commits: Dataset, index: number) {
  const fields = commits.fields(index);
  const full = fullNameOf(account, fields.repo as number);
  const sha = commits.idOf(index);
  const author = { name: fields.author, email: `${String(fields.author).toLowerCase().replace(/\s+/g, '.')}@example.com`, date: ghTime(commits.createdAt[index]) };
  return {
    sha,
    node_id: `C_${sha.slice(0, 12)}`,
    commit: {
      author,
      committer: { name: account.name, email: account.email, date: ghTime(commits.updatedAt[index]) },
      message: fields.message,
      tree: { sha: sha.split('').reverse().join(''), url: `${API}/repos/${full}/git/trees/${sha}` },
      url: `${API}/repos/${full}/git/commits/${sha}`,
      comment_count: 0,
    },
    url: `${API}/repos/${full}/commits/${sha}`,
    html_url: `${WEB}/${full}/commit/${sha}`,
    author: userObject(account),
    committer: userObject(account),
    parents: [],
  };
}

/** A page of a collected listing, with GitHub's Link header, ETag and conditional answer. */
export function pagedReply(ctx: RequestContext, endpoint: string, indices: ArrayLike<number>, render: (index: number) => unknown): Reply {
  const perPage = intParam(ctx.query.get('per_page'), 1, 100);
  const page = intParam(ctx.query.get('page'), 1, 100_000);
  if (perPage === null || page === null) return apiError(422, 'Invalid request: per_page must be 1–100 and page a positive integer');
  const size = perPage ?? 30;
  const number = page ?? 1;
  const refused = pageGate(ctx.state, endpoint, number, faults);
  if (refused) return refused;
  const items = Array.from(indices).slice((number - 1) * size, number * size).map(render);
  const body = JSON.stringify(items);
  const etag = `W/"${crypto.createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  if (ctx.headers['if-none-match'] === etag) return { status: 304, headers: { etag, ...rateHeaders(ctx, false) } };
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', etag, 'cache-control': 'private, max-age=60, s-maxage=60', ...rateHeaders(ctx) };
  const pages = Math.ceil(indices.length / size);
  if (number < pages) {
    const link = (n: number) => {
      const url = new URL(`${API}${ctx.path}?${ctx.rawQuery}`);
      url.searchParams.set('page', String(n));
      return url.toString();
    };
    headers.link = `<${link(number + 1)}>; rel="next", <${link(pages)}>; rel="last"`;
  }
  return { status: 200, headers, body };
}

/** The view of `since` (inclusive, as GitHub compares), or the 422 for a malformed one. */
function sinceOf(ctx: RequestContext): { ok: true; min?: ViewQuery['min'] } | { ok: false; reply: Reply } {
  const raw = ctx.query.get('since');
  if (raw === null) return { ok: true };
  const ms = parseTimestamp(raw);
  if (ms === undefined) return { ok: false, reply: apiError(422, 'Invalid request: since must be an ISO 8601 timestamp') };
  return { ok: true, min: { value: ms, inclusive: true } };
}

const reposRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/user/repos',
  handle(ctx) {
    const auth = authorize(ctx);
    if (!auth.ok) return auth.reply;
    const since = sinceOf(ctx);
    if (!since.ok) return since.reply;
    const repos = getDataset(ctx.state, reposSpec, auth.account.id);
    const sort = ctx.query.get('sort') ?? 'full_name';
    const query: ViewQuery = { order: sort === 'updated' || sort === 'pushed' ? 'modified' : 'id', snapshot: ctx.state.data.snapshot(), include: 'live', min: since.min };
    let indices = Array.from(collect(repos, query));
    if (sort === 'full_name') indices.sort((a, b) => fullNameOf(auth.account, a).localeCompare(fullNameOf(auth.account, b)));
    const direction = ctx.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
    if (direction === 'desc') indices = indices.reverse();
    return pagedReply(ctx, `${PROVIDER}.repositories`, indices, (i) => renderRepo(auth.account, repos, i));
  },
};

const REPO = '(?<owner>[A-Za-z0-9-]+)\\/(?<repo>[A-Za-z0-9._-]+)';

const issuesRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/issues',
  pattern: new RegExp(`^\\/repos\\/${REPO}\\/issues$`),
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const since = sinceOf(ctx);
    if (!since.ok) return since.reply;
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) return apiError(422, 'Invalid request: state must be open, closed or all');
    const issues = getDataset(ctx.state, issuesSpec, auth.account.id);
    const creator = ctx.query.get('creator');
    if (creator && creator.toLowerCase() !== auth.account.login) return pagedReply(ctx, `${PROVIDER}.issues`, [], () => null);
    const sort = ctx.query.get('sort') ?? 'created';
    const query: ViewQuery = {
      order: sort === 'updated' ? 'modified' : 'id',
      snapshot: ctx.state.data.snapshot(),
      include: state === 'all' ? 'all' : state === 'open' ? 'live' : 'deleted',
      min: since.min,
      where: (i) => issues.fields(i).repo === repo.index,
    };
    let indices = Array.from(collect(issues, query));
    if ((ctx.query.get('direction') ?? 'desc') === 'desc') indices = indices.reverse();
    return pagedReply(ctx, `${PROVIDER}.issues`, indices, (i) => renderIssue(auth.account, issues, i));
  },
};

const commitsRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/commits',
  pattern: new RegExp(`^\\/repos\\/${REPO}\\/commits$`),
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const since = sinceOf(ctx);
    if (!since.ok) return since.reply;
    const commits = getDataset(ctx.state, commitsSpec, auth.account.id);
    const query: ViewQuery = { order: 'modified', snapshot: ctx.state.data.snapshot(), include: 'live', min: since.min, where: (i) => commits.fields(i).repo === repo.index };
    // Newest first, as GitHub lists a branch's history.
    const indices = Array.from(collect(commits, query)).reverse();
    return pagedReply(ctx, `${PROVIDER}.commits`, indices, (i) => renderCommit(auth.account, commits, i));
  },
};

export const githubDataRoutes: Route[] = [reposRoute, issuesRoute, commitsRoute];
