// GitHub repository webhooks as push channels (lib/webhooks/channels.ts keeps the books): one hook
// per chosen repository, created on connect and whenever the choice changes, deleted on disconnect
// or when a repository is no longer chosen. Each hook's secret is the channel token (random, stored
// only encrypted); GitHub echoes no header of ours, so the callback URL names the channel
// (?channel=<id>). Facts: https://docs.github.com/en/rest/repos/webhooks#create-a-repository-webhook
// (POST /repos/{o}/{r}/hooks {name: "web", config: {url, content_type: "json", secret}, events,
// active}; DELETE /repos/{o}/{r}/hooks/{id}) and
// https://docs.github.com/en/webhooks/webhook-events-and-payloads (X-GitHub-Event names the event,
// X-GitHub-Delivery is a GUID unique per delivery — our dedupe key — and a new hook is sent a
// `ping`). Hooks do not expire.
//
// `issues` and `issue_comment` deliveries carry the issue in the shape the issues listing stores,
// so they are applied at once; pull_request and push deliveries ask for an incremental sync
// (their objects are shaped differently from the listings); `ping` is recorded and does nothing.
import { z } from 'zod';
import type { DeliveryInput, ParsedDelivery, WebhookChange } from '@/lib/webhooks/types';
import { ProviderHttpError } from '../errors';
import type { ProviderWebhooks } from '../types';
import { fullName, github, issue, repoPath } from './api';
import { issueExternalId } from './resources';
import { githubSignature } from './signature';

export const GITHUB_HOOK_EVENTS = ['issues', 'issue_comment', 'pull_request', 'push'] as const;
/** Hooks never expire; a one-year horizon makes the bookkeeping rotate each hook's secret yearly. */
const HOOK_HORIZON_MS = 365 * 24 * 60 * 60 * 1000;

const hookAnswer = z.object({ id: z.number().int() }).passthrough();

/** What is stored per delivery: GitHub's body with the two headers that say what it is. */
const envelope = z.object({
  event: z.string().min(1).max(100),
  delivery: z.string().min(1).max(100).nullable(),
  payload: z
    .object({
      action: z.string().max(100).optional(),
      issue: z.unknown().optional(),
      repository: z.object({ full_name: z.string().max(200) }).passthrough().optional(),
    })
    .passthrough(),
});
type Envelope = z.infer<typeof envelope>;

function changeOf(parsed: Envelope): { resource: string | null; change: WebhookChange } {
  const { event, payload } = parsed;
  if (event === 'ping') return { resource: null, change: { kind: 'none' } };
  if (event === 'issues' || event === 'issue_comment') {
    const item = issue.parse(payload.issue);
    const record = { externalId: issueExternalId(item), data: item };
    if (event === 'issues' && payload.action === 'deleted') return { resource: 'issues', change: { kind: 'delete', externalId: record.externalId } };
    return { resource: 'issues', change: { kind: 'upsert', record } };
  }
  if (event === 'pull_request') return { resource: 'issues', change: { kind: 'sync' } };
  if (event === 'push') return { resource: 'commits', change: { kind: 'sync' } };
  return { resource: null, change: { kind: 'none' } };
}

function parseEnvelope(stored: unknown): ParsedDelivery[] {
  const parsed = envelope.parse(stored);
  const { resource, change } = changeOf(parsed);
  const action = parsed.payload.action;
  return [
    {
      eventId: parsed.delivery,
      eventType: action ? `${parsed.event}.${action}` : parsed.event,
      accountId: parsed.payload.repository?.full_name ?? '',
      resource,
      change,
      occurredAt: null,
    },
  ];
}

export function storedDelivery(headers: Headers, body: unknown): Envelope {
  return { event: headers.get('x-github-event') ?? '', delivery: headers.get('x-github-delivery'), payload: body as Envelope['payload'] };
}

export const parseDeliveries = ({ body, headers }: DeliveryInput): ParsedDelivery[] => parseEnvelope(storedDelivery(headers, body));

/** "owner/name/<hook id>": the repository and the hook, which is what deleting it takes. */
const hookRef = (repo: string, id: number) => `${repo}/${id}`;
function parseHookRef(ref: string): { repo: string; id: string } {
  const at = ref.lastIndexOf('/');
  return { repo: fullName.parse(ref.slice(0, at)), id: ref.slice(at + 1) };
}

export const githubWebhooks: ProviderWebhooks = {
  scheme: 'github-signature',
  schemeLabel: 'GitHub X-Hub-Signature-256',
  note: 'Repository webhooks per chosen repository, signed with a secret the app generates (X-Hub-Signature-256 over the raw body).',
  setup:
    'Nothing to do: the app creates a webhook on every repository you choose (issues, issue comments, pull requests, pushes), each with its own secret, and deletes them when you unchoose a repository or disconnect. Creating hooks needs admin rights on the repository. GitHub only posts to public URLs, so set PUBLIC_APP_URL.',
  deliveries: {
    kind: 'channel',
    verify: githubSignature,
    channelIdOf: (_headers, url) => url.searchParams.get('channel')?.trim() || null,
    resource: 'issues',
    targets: async (client) => [...(client.selection ?? [])],
    async open(client, channel) {
      const url = new URL(channel.address);
      url.searchParams.set('channel', channel.id);
      const { body } = await github(client, `${repoPath(channel.target)}/hooks`, {
        method: 'POST',
        json: { name: 'web', active: true, events: GITHUB_HOOK_EVENTS, config: { url: url.toString(), content_type: 'json', insecure_ssl: '0', secret: channel.token } },
      });
      return { resourceId: hookRef(channel.target, hookAnswer.parse(body).id), expiresAt: new Date(Date.now() + HOOK_HORIZON_MS) };
    },
    async stop(client, channel) {
      const { repo, id } = parseHookRef(channel.resourceId);
      try {
        await github(client, `${repoPath(repo)}/hooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
      } catch (error) {
        // Already gone (deleted by hand, or the repository with it).
        if (error instanceof ProviderHttpError && error.status === 404) return;
        throw error;
      }
    },
    storedPayload: storedDelivery,
  },
  parse: parseDeliveries,
  reparse: parseEnvelope,
};
