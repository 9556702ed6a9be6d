// The writes the app's actions make, and the pull-request listing its live lookup reads:
//   POST /repos/{o}/{r}/issues {title, body?, labels?, assignees?}   201 with the issue
//   POST /repos/{o}/{r}/issues/{number}/comments {body}               201 with the comment (PRs too)
//   GET  /repos/{o}/{r}/issues/{number}/comments?since               the issue's comments, oldest first
//   GET  /repos/{o}/{r}/pulls?state&sort&direction&per_page&page    pull requests in /pulls shape
// Unknown repositories and issue numbers answer 404; a missing title or body 422 (GitHub's
// "Validation Failed" with an errors list).
import { z } from 'zod';
import { getDataset } from '../../data';
import { afterWrite, parseTimestamp } from '../../data-faults';
import { collect } from '../../data-view';
import { json, readJson, type Route } from '../../http';
import { userObject, API, API_HOST, PROFILE, WEB } from './accounts';
import { bookOf } from './book';
import { findRepo, ghTime, issuesSpec, pagedReply, renderIssue, renderPull } from './data';
import { apiError, authorize, rateHeaders } from './oauth';

const PROVIDER = PROFILE.id;
const REPO = '(?<owner>[A-Za-z0-9-]+)\\/(?<repo>[A-Za-z0-9._-]+)';

const validation = (field: string, code = 'missing_field') =>
  json(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code, field }], documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue', status: '422' });

const issueBody = z.object({
  title: z.union([z.string().min(1), z.number()]),
  body: z.string().nullable().optional(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string() })])).optional(),
  assignees: z.array(z.string()).optional(),
});

const createIssueRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/issues',
  pattern: new RegExp(`^\\/repos\\/${REPO}\\/issues$`),
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const raw = readJson(ctx);
    if (!raw.ok) return apiError(400, 'Problems parsing JSON');
    const parsed = issueBody.safeParse(raw.value);
    if (!parsed.success) return validation(String(parsed.error.issues[0]?.path[0] ?? 'title'));
    const issues = getDataset(ctx.state, issuesSpec, auth.account.id);
    const index = issues.create(ctx.state.data.tick());
    const fields = issues.fields(index);
    for (const key of Object.keys(fields)) delete fields[key];
    Object.assign(fields, {
      repo: repo.index,
      pull: false,
      title: String(parsed.data.title),
      body: parsed.data.body ?? null,
      labels: (parsed.data.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name)),
      assignee: (parsed.data.assignees ?? []).length > 0,
      revision: 1,
    });
    return afterWrite(ctx.state, PROVIDER, json(201, renderIssue(auth.account, issues, index), { location: `${API}/repos/${repo.fullName}/issues/${index + 1}`, ...rateHeaders(ctx) }));
  },
};

/** The issue `number` of the repository, or undefined. */
function issueIndex(ctx: Parameters<Route['handle']>[0], account: string, repoIndex: number): number | undefined {
  const number = Number(ctx.params.number);
  const issues = getDataset(ctx.state, issuesSpec, account);
  const index = number - 1;
  if (!Number.isInteger(number) || index < 0 || index >= issues.count || issues.fields(index).repo !== repoIndex) return undefined;
  return index;
}

function renderComment(comment: ReturnType<typeof bookOf>['comments'][number]) {
  const account = PROFILE.accounts.find((a) => a.id === comment.account)!;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${API}/repos/${comment.repo}/issues/comments/${comment.id}`,
    html_url: `${WEB}/${comment.repo}/issues/${comment.number}#issuecomment-${comment.id}`,
    issue_url: `${API}/repos/${comment.repo}/issues/${comment.number}`,
    body: comment.body,
    user: userObject(account),
    created_at: ghTime(comment.createdAt),
    updated_at: ghTime(comment.createdAt),
    author_association: 'OWNER',
  };
}

const commentsPattern = new RegExp(`^\\/repos\\/${REPO}\\/issues\\/(?<number>\\d+)\\/comments$`);

const createCommentRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/issues/{number}/comments',
  pattern: commentsPattern,
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const index = issueIndex(ctx, auth.account.id, repo.index);
    if (index === undefined) return apiError(404, 'Not Found');
    const raw = readJson(ctx);
    if (!raw.ok) return apiError(400, 'Problems parsing JSON');
    if (typeof raw.value.body !== 'string' || raw.value.body.length === 0) return validation('body');
    const book = bookOf(ctx.state);
    const comment = { id: 1_900_000_000 + ++book.serial, account: auth.account.id, repo: repo.fullName, number: index + 1, body: raw.value.body, login: auth.account.login, createdAt: ctx.state.data.tick() };
    book.comments.push(comment);
    return afterWrite(ctx.state, PROVIDER, json(201, renderComment(comment), rateHeaders(ctx)));
  },
};

const listCommentsRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/issues/{number}/comments',
  pattern: commentsPattern,
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const index = issueIndex(ctx, auth.account.id, repo.index);
    if (index === undefined) return apiError(404, 'Not Found');
    const since = ctx.query.get('since') ? parseTimestamp(ctx.query.get('since')!) : 0;
    if (since === undefined) return apiError(422, 'Invalid request: since must be an ISO 8601 timestamp');
    const comments = bookOf(ctx.state).comments.filter((c) => c.account === auth.account.id && c.repo === repo.fullName && c.number === index + 1 && c.createdAt >= since);
    return json(200, comments.map(renderComment), rateHeaders(ctx));
  },
};

const pullsRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/pulls',
  pattern: new RegExp(`^\\/repos\\/${REPO}\\/pulls$`),
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) return apiError(422, 'Invalid request: state must be open, closed or all');
    const issues = getDataset(ctx.state, issuesSpec, auth.account.id);
    const include = state === 'all' ? 'all' : state === 'open' ? 'live' : 'deleted';
    const where = (i: number) => issues.fields(i).repo === repo.index && issues.fields(i).pull === true;
    let indices = Array.from(collect(issues, { order: 'id', snapshot: ctx.state.data.snapshot(), include, where }));
    if ((ctx.query.get('direction') ?? 'desc') === 'desc') indices = indices.reverse();
    return pagedReply(ctx, `${PROVIDER}.pulls`, indices, (i) => renderPull(auth.account, issues, i));
  },
};

export const githubWriteRoutes: Route[] = [createIssueRoute, createCommentRoute, listCommentsRoute, pullsRoute];
