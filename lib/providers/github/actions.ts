// GitHub actions: create an issue, comment on an issue or pull request, and list a repository's
// issues or pull requests live.
//   POST /repos/{o}/{r}/issues {title, body, labels, assignees}
//        (https://docs.github.com/en/rest/issues/issues#create-an-issue)
//   POST /repos/{o}/{r}/issues/{number}/comments {body} — pull requests are issues here
//        (https://docs.github.com/en/rest/issues/comments#create-an-issue-comment)
//   GET  /repos/{o}/{r}/issues?state=… (includes pull requests) and GET /repos/{o}/{r}/pulls?state=…
//        (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests)
// GitHub takes no idempotency key. When an earlier attempt with the same key may have committed
// (ActionContext.retry), the token user's recent issues (or comments) with the same text are looked
// up first and answered instead of creating a second one.
import { z } from 'zod';
import { ActionError } from '../../actions/errors';
import type { ActionInput, ActionOutput } from '../../actions/schemas';
import { applyMapping, compileMapping } from '../../mapping/interpreter';
import { Issue as IssueModel } from '../../mapping/model';
import { ProviderHttpError } from '../errors';
import type { ActionContext, ActionResult, ProviderActions, ProviderClient } from '../types';
import { API, currentUser, github, issue, repoPath, type Issue } from './api';
import { defaultMappings } from './mappings';
import { issueExternalId } from './resources';

const compiledIssues = compileMapping(defaultMappings.issues);
/** Pages of 100 read at most when listing issues without pull requests. */
const MAX_LIST_PAGES = 5;

const pull = z
  .object({ id: z.number().int(), number: z.number().int(), url: z.string(), html_url: z.string(), merged_at: z.string().nullable().optional(), base: z.object({ repo: z.object({ url: z.string() }).passthrough() }).passthrough().optional() })
  .passthrough();
const comment = z
  .object({ id: z.number().int(), body: z.string().nullable().optional(), html_url: z.string().optional(), created_at: z.string().optional(), user: z.object({ login: z.string() }).passthrough().nullable().optional() })
  .passthrough();
type Comment = z.infer<typeof comment>;

function issueResult(item: Issue): ActionOutput<'issues.create'> {
  const { output, errors } = applyMapping(compiledIssues, item);
  if (errors.length > 0) throw new ActionError('provider_error', `GitHub's issue did not map onto an issue: ${errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  return { issue: IssueModel.parse(output), resource: 'issues', raw: item };
}

/** A pull request from /pulls in the shape of GitHub's issues listing (what the issues resource stores). */
function pullAsIssue(repo: string, item: z.infer<typeof pull>): Issue {
  return issue.parse({
    ...item,
    repository_url: `${API}${repoPath(repo)}`,
    pull_request: { url: item.url, html_url: item.html_url, merged_at: item.merged_at ?? null },
  });
}

function refusal(error: unknown, what: string): ActionError | null {
  if (!(error instanceof ProviderHttpError)) return null;
  if (error.status === 404) return new ActionError('not_found', `GitHub does not know ${what}, or the token cannot see it: ${error.providerMessage}`);
  if (error.status === 410) return new ActionError('action_not_supported', `GitHub refused: ${error.providerMessage} (issues are disabled on this repository).`);
  if (error.status === 422) return new ActionError('validation_failed', `GitHub refused the request: ${error.providerMessage}`);
  if (error.status === 403 && !error.temporary) return new ActionError('action_not_supported', `GitHub refused: ${error.providerMessage}. The token needs write access to the repository.`);
  return null;
}

async function existingIssue(client: ProviderClient, input: ActionInput<'issues.create'>, now: Date): Promise<Issue | null> {
  const me = await currentUser(client);
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
  const query = new URLSearchParams({ creator: me.login, state: 'all', sort: 'created', direction: 'desc', since, per_page: '30' });
  const { body } = await github(client, `${repoPath(input.repository)}/issues?${query}`);
  return z.array(issue).parse(body).find((item) => !item.pull_request && item.title === input.title && ((item.body as string | null | undefined) ?? undefined) === input.body) ?? null;
}

async function createIssue(context: ActionContext, input: ActionInput<'issues.create'>): Promise<ActionResult<ActionOutput<'issues.create'>>> {
  const { client } = context;
  let created: Issue | null = context.retry ? await existingIssue(client, input, context.now) : null;
  if (!created) {
    try {
      const { body } = await github(client, `${repoPath(input.repository)}/issues`, {
        method: 'POST',
        json: { title: input.title, ...(input.body ? { body: input.body } : {}), ...(input.labels ? { labels: input.labels } : {}), ...(input.assignees ? { assignees: input.assignees } : {}) },
      });
      created = issue.parse(body);
    } catch (error) {
      throw refusal(error, `the repository ${input.repository}`) ?? error;
    }
  }
  return { output: issueResult(created), records: [{ resource: 'issues', externalId: issueExternalId(created), data: created }] };
}

async function existingComment(client: ProviderClient, path: string, body: string, now: Date): Promise<Comment | null> {
  const me = await currentUser(client);
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
  const answer = await github(client, `${path}?${new URLSearchParams({ since, per_page: '100' })}`);
  return z.array(comment).parse(answer.body).find((item) => item.user?.login === me.login && item.body === body) ?? null;
}

async function commentOn(context: ActionContext, input: ActionInput<'issues.comment'>): Promise<ActionResult<ActionOutput<'issues.comment'>>> {
  const { client } = context;
  const path = `${repoPath(input.repository)}/issues/${input.number}/comments`;
  let created: Comment | null = context.retry ? await existingComment(client, path, input.body, context.now) : null;
  if (!created) {
    try {
      created = comment.parse((await github(client, path, { method: 'POST', json: { body: input.body } })).body);
    } catch (error) {
      throw refusal(error, `#${input.number} in ${input.repository}`) ?? error;
    }
  }
  return {
    output: {
      comment: {
        externalId: String(created.id),
        body: created.body ?? input.body,
        ...(created.user?.login ? { author: created.user.login } : {}),
        ...(created.html_url ? { url: created.html_url } : {}),
        ...(created.created_at ? { createdAt: created.created_at } : {}),
      },
      raw: created,
    },
  };
}

async function listIssues(context: ActionContext, input: ActionInput<'issues.list'>): Promise<ActionResult<ActionOutput<'issues.list'>>> {
  const { client } = context;
  const base = repoPath(input.repository);
  const found: Issue[] = [];
  try {
    if (input.kind === 'pull_request') {
      const query = new URLSearchParams({ state: input.state, sort: 'created', direction: 'desc', per_page: String(input.limit) });
      const { body } = await github(client, `${base}/pulls?${query}`);
      found.push(...z.array(pull).parse(body).map((item) => pullAsIssue(input.repository, item)));
    } else {
      // The issues listing includes pull requests: page on until enough plain issues are found.
      for (let page = 1; page <= MAX_LIST_PAGES && found.length < input.limit; page++) {
        const query = new URLSearchParams({ state: input.state, sort: 'created', direction: 'desc', per_page: '100', page: String(page) });
        const answer = await github(client, `${base}/issues?${query}`);
        const items = z.array(issue).parse(answer.body);
        found.push(...items.filter((item) => !item.pull_request));
        if (!answer.headers.get('link')?.includes('rel="next"')) break;
      }
    }
  } catch (error) {
    throw refusal(error, `the repository ${input.repository}`) ?? error;
  }
  return { output: { issues: found.slice(0, input.limit).map(issueResult) } };
}

export const githubActions: ProviderActions = {
  'issues.create': createIssue,
  'issues.comment': commentOn,
  'issues.list': listIssues,
};
