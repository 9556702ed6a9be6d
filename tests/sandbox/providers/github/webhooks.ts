// GitHub repository webhooks in the sandbox (https://docs.github.com/en/rest/repos/webhooks):
// POST/GET /repos/{o}/{r}/hooks and DELETE /repos/{o}/{r}/hooks/{id}; and the deliveries they
// receive (https://docs.github.com/en/webhooks/webhook-events-and-payloads): headers X-GitHub-Event,
// X-GitHub-Delivery (a GUID per delivery; a redelivery repeats it), X-GitHub-Hook-ID and
// X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(hook secret, raw body). Control-API deliveries
// are signed by GitHub's own library (@octokit/webhooks-methods `sign`), never by the app's verifier;
// the synchronous contract sample signs with the shared HMAC helper.
import crypto from 'node:crypto';
import { z } from 'zod';
import { getDataset } from '../../data';
import { json, readJson, type RequestContext, type Route } from '../../http';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { deliveryCommon, deliveryMutation, post, tamperDelivery, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { hmacSha256 } from '../../webhook-signing';
import { API, API_HOST, PROFILE, userObject, type GithubAccount } from './accounts';
import { bookOf, type Hook } from './book';
import { findRepo, ghTime, issuesSpec, renderIssue, renderRepo, reposSpec } from './data';
import { apiError, authorize, rateHeaders } from './oauth';

export const SIGNATURE_HEADER = 'X-Hub-Signature-256';
const EVENTS = ['issues', 'issue_comment', 'pull_request', 'push', 'ping', '*'] as const;
const REPO = '(?<owner>[A-Za-z0-9-]+)\\/(?<repo>[A-Za-z0-9._-]+)';

const hookBody = z.object({
  name: z.literal('web').optional(),
  active: z.boolean().default(true),
  events: z.array(z.enum(EVENTS)).min(1).default(['push']),
  config: z.object({ url: z.string().url(), content_type: z.enum(['json', 'form']).default('form'), secret: z.string().min(1).optional(), insecure_ssl: z.string().optional() }),
});

function renderHook(hook: Hook) {
  const url = `${API}/repos/${hook.repo}/hooks/${hook.id}`;
  return {
    type: 'Repository',
    id: hook.id,
    name: 'web',
    active: hook.active,
    events: hook.events,
    // GitHub never shows a hook's secret again.
    config: { url: hook.url, content_type: 'json', insecure_ssl: '0', ...(hook.secret ? { secret: '********' } : {}) },
    updated_at: ghTime(hook.createdAt),
    created_at: ghTime(hook.createdAt),
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: null, status: 'unused', message: null },
  };
}

const hooksPattern = new RegExp(`^\\/repos\\/${REPO}\\/hooks$`);

const createHookRoute: Route = {
  method: 'POST',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/hooks',
  pattern: hooksPattern,
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const raw = readJson(ctx);
    if (!raw.ok) return apiError(400, 'Problems parsing JSON');
    const parsed = hookBody.safeParse(raw.value);
    if (!parsed.success) return json(422, { message: 'Validation Failed', errors: [{ resource: 'Hook', code: 'custom', message: parsed.error.issues[0]?.message }], status: '422' });
    const book = bookOf(ctx.state);
    const open = [...book.hooks.values()].filter((h) => !h.deleted && h.repo === repo.fullName);
    // GitHub allows up to 20 hooks per event per repository, and refuses a second hook with the same URL.
    if (open.some((h) => h.url === parsed.data.config.url)) {
      return json(422, { message: 'Validation Failed', errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }], status: '422' });
    }
    const hook: Hook = {
      id: 480_000_000 + ++book.serial,
      account: auth.account.id,
      repo: repo.fullName,
      url: parsed.data.config.url,
      secret: parsed.data.config.secret,
      events: parsed.data.events,
      active: parsed.data.active,
      createdAt: Date.now(),
      deleted: false,
    };
    book.hooks.set(hook.id, hook);
    return json(201, renderHook(hook), rateHeaders(ctx));
  },
};

const listHooksRoute: Route = {
  method: 'GET',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/hooks',
  pattern: hooksPattern,
  handle(ctx) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const hooks = [...bookOf(ctx.state).hooks.values()].filter((h) => !h.deleted && h.repo === repo.fullName);
    return json(200, hooks.map(renderHook), rateHeaders(ctx));
  },
};

const deleteHookRoute: Route = {
  method: 'DELETE',
  hosts: [API_HOST],
  path: '/repos/{owner}/{repo}/hooks/{id}',
  pattern: new RegExp(`^\\/repos\\/${REPO}\\/hooks\\/(?<id>\\d+)$`),
  handle(ctx: RequestContext) {
    const auth = authorize(ctx, 'repo');
    if (!auth.ok) return auth.reply;
    const repo = findRepo(ctx, auth.account);
    if (!repo.ok) return repo.reply;
    const hook = bookOf(ctx.state).hooks.get(Number(ctx.params.id));
    if (!hook || hook.deleted || hook.repo !== repo.fullName) return apiError(404, 'Not Found');
    hook.deleted = true;
    return { status: 204, headers: rateHeaders(ctx) };
  },
};

export const hookRoutes: Route[] = [createHookRoute, listHooksRoute, deleteHookRoute];

type Event = 'issues' | 'ping';

/** The body of an `issues` (opened, about the account's newest issue in the hook's repository) or `ping` delivery. */
function deliveryBody(state: SandboxState, account: GithubAccount, hook: Hook | undefined, event: Event): string {
  const repos = getDataset(state, reposSpec, account.id);
  const repoIndex = hook ? Number(/-(\d+)$/.exec(hook.repo)?.[1] ?? 0) : 0;
  const repository = repos.count > repoIndex ? renderRepo(account, repos, repoIndex) : { full_name: hook?.repo ?? `${account.login}/website-0` };
  const sender = userObject(account);
  if (event === 'ping') {
    return JSON.stringify({ zen: 'Design for failure.', hook_id: hook?.id ?? 0, hook: hook ? renderHook(hook) : null, repository, sender });
  }
  const issues = getDataset(state, issuesSpec, account.id);
  let index = -1;
  for (let i = issues.count - 1; i >= 0; i--) {
    if (issues.fields(i).repo === repoIndex) {
      index = i;
      break;
    }
  }
  const issue = index >= 0 ? renderIssue(account, issues, index) : renderIssue(account, issues, 0);
  return JSON.stringify({ action: 'opened', issue, repository, sender });
}

function headersFor(hook: Hook | undefined, event: Event, delivery: string, signature: string): Record<string, string> {
  return {
    'User-Agent': 'GitHub-Hookshot/sandbox',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': delivery,
    'X-GitHub-Hook-ID': String(hook?.id ?? 0),
    'X-GitHub-Hook-Installation-Target-Type': 'repository',
    'X-GitHub-Hook-Installation-Target-ID': String(hook ? 1 : 0),
    [SIGNATURE_HEADER]: signature,
  };
}

/** The hook's callback URL moved onto `url` (keeping its query: the channel it names). */
function target(hook: Hook, url: string | undefined): string {
  if (!url) return hook.url;
  const moved = new URL(url);
  new URL(hook.url).searchParams.forEach((value, name) => moved.searchParams.set(name, value));
  return moved.toString();
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  event: z.enum(['issues', 'ping']).default('issues'),
  /** Only the hooks of this repository (owner/name); default every open hook of the account. */
  repository: z.string().optional(),
  /** Sends each delivery again with the same X-GitHub-Delivery, as a redelivery does. */
  redeliver: z.boolean().default(false),
  mutate: deliveryMutation.optional(),
});

export const webhooks: SandboxWebhooks<GithubAccount> = {
  signatureHeader: SIGNATURE_HEADER,
  /** issues.opened on the account's newest hook (the app's), or on a made-up channel when there is none. */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const hook = [...bookOf(state).hooks.values()].filter((h) => !h.deleted && h.account === account.id).at(-1);
    const body = deliveryBody(state, account, hook, 'issues');
    const key = secret ?? hook?.secret ?? crypto.randomBytes(16).toString('base64url');
    const signature = `sha256=${hmacSha256(key, body).toString('hex')}`;
    return {
      url: hook ? target(hook, url) : url && withMadeUpChannel(url),
      headers: headersFor(hook, 'issues', crypto.randomUUID(), signature),
      body,
      signatureHeader: SIGNATURE_HEADER,
    };
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = PROFILE.accounts.find((a) => a.id === (request.account ?? PROFILE.accounts[0].id)) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: account.id, resource: 'issues', ...request.mutate }) : undefined;
    const hooks = [...bookOf(state).hooks.values()].filter(
      (h) => !h.deleted && h.active && h.account === account.id && (!request.repository || h.repo === request.repository) && (h.events.includes(request.event) || h.events.includes('*') || request.event === 'ping'),
    );
    const deliveries: Answer[] = [];
    for (const hook of hooks) {
      for (let i = 0; i < request.repeat; i++) {
        const body = deliveryBody(state, account, hook, request.event);
        // GitHub's own signer (@octokit/webhooks-methods) as the peer of the app's verifier. The
        // package is ESM only, and the sandbox also runs as CommonJS (tsx): loaded on first use.
        const { sign } = await import('@octokit/webhooks-methods');
        const signature = await sign(request.secret ?? hook.secret ?? '', body);
        const id = crypto.randomUUID();
        const signed: SignedDelivery = { url: target(hook, request.url), headers: headersFor(hook, request.event, id, signature), body, signatureHeader: SIGNATURE_HEADER };
        const sent = tamperDelivery(signed, request.tamper);
        deliveries.push(await post(sent.url, { 'content-type': 'application/json', ...sent.headers }, sent.body));
        if (request.redeliver) deliveries.push(await post(sent.url, { 'content-type': 'application/json', ...sent.headers }, sent.body));
      }
    }
    return { deliveries, mutation: changed };
  }),
  control: {
    'github-hooks': (state) => [...bookOf(state).hooks.values()].map(({ secret, ...rest }) => ({ ...rest, hasSecret: Boolean(secret) })),
  },
};

/** `url` naming a channel nobody opened, where the app's own hooks carry theirs. */
function withMadeUpChannel(url: string): string {
  const made = new URL(url);
  made.searchParams.set('channel', crypto.randomUUID());
  return made.toString();
}

