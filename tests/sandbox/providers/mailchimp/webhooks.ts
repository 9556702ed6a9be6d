// Mailchimp's audience webhooks in the sandbox. Mailchimp signs nothing: the only proof a delivery is
// genuine is whatever secret the subscriber put in the webhook URL (the app puts ?channel=<id>&token=<secret>),
// so a delivery here is the webhook's own URL with the form-encoded event
// (https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/): type, fired_at
// ("2009-03-26 21:35:57", UTC), data[id], data[list_id], data[email], data[email_type], data[merges][…].
// Tampering "the signature" changes the URL's token (SignedDelivery.secretInQuery).
// Read-outs: GET /_sandbox/webhooks/mailchimp-audiences (every audience with its members, for tests
// and the e2e to count) and GET /_sandbox/webhooks/mailchimp-webhooks (the webhooks the app created).
import crypto from 'node:crypto';
import { z } from 'zod';
import { defineDeliverer, type SandboxWebhooks } from '../../provider';
import type { SandboxState } from '../../state';
import { deliveryCommon, deliveryMutation, post, repeat, tamperDelivery, type Answer, type SignedDelivery } from '../../webhook-delivery';
import { PROFILE, type MailchimpAccount } from './accounts';
import { redactToken } from './api';
import { audiencePage, bookOf, seededDataset, seededMemberJson, type MemberJson, type Webhook } from './audiences';

/** The query parameter of the app's webhook URLs that carries the secret. */
export const TOKEN_PARAM = 'token';
/** Mailchimp sends no signature header; this names the header a signing sender would use, absent here. */
const NO_SIGNATURE_HEADER = 'x-mailchimp-signature';
const EVENT_TYPES = ['subscribe', 'unsubscribe', 'profile', 'upemail', 'cleaned'] as const;

const firedAt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The form body of one event about `member`. */
export function eventBody(type: string, member: MemberJson, at = Date.now()): string {
  const form = new URLSearchParams({ type, fired_at: firedAt(at) });
  form.set('data[id]', member.id);
  form.set('data[list_id]', member.list_id);
  form.set('data[email]', member.email_address);
  form.set('data[email_type]', member.email_type);
  form.set('data[ip_opt]', '198.51.100.7');
  form.set('data[web_id]', String(member.web_id));
  form.set('data[merges][EMAIL]', member.email_address);
  for (const [tag, value] of Object.entries(member.merge_fields)) if (typeof value === 'string') form.set(`data[merges][${tag}]`, value);
  if (type === 'unsubscribe') form.set('data[action]', 'unsub');
  if (type === 'cleaned') form.set('data[reason]', 'hard');
  return form.toString();
}

/** The webhook's URL with its query moved onto `url` (where the test's app listens), or as created. */
function target(hook: Webhook, url: string | undefined): string {
  if (!url) return hook.url;
  const moved = new URL(url);
  new URL(hook.url).searchParams.forEach((value, name) => moved.searchParams.set(name, value));
  return moved.toString();
}

/**
 * The account's newest webhook on its first (seeded) audience: the one the app created on connect
 * (or tried to: a webhook whose validation failed still names the app's channel and secret).
 */
function newestHook(state: SandboxState, account: MailchimpAccount): Webhook | undefined {
  return [...bookOf(state).webhooks.values()].filter((hook) => hook.account === account.id && hook.listId === account.audiences[0].id).at(-1);
}

function newestMember(state: SandboxState, account: MailchimpAccount, id?: string): MemberJson {
  const dataset = seededDataset(state, account);
  const index = id !== undefined ? (dataset.indexOf(id) ?? 0) : Math.max(dataset.count - 1, 0);
  return seededMemberJson(dataset, account.audiences[0].id, index);
}

function signed(url: string, body: string): SignedDelivery {
  return { url, headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'MailChimp' }, body, signatureHeader: NO_SIGNATURE_HEADER, secretInQuery: TOKEN_PARAM };
}

const deliverSchema = z.object({
  provider: z.literal(PROFILE.id),
  url: z.string().url().optional(),
  ...deliveryCommon,
  type: z.enum(EVENT_TYPES).default('profile'),
  mutate: deliveryMutation.optional(),
});

function audiencesReadout(state: SandboxState) {
  return {
    accounts: PROFILE.accounts.map((account) => ({
      account: account.id,
      dc: account.dc,
      audiences: account.audiences.map((audience) => {
        const { members, total } = audiencePage(state, account, audience.id, { offset: 0, count: 10_000 });
        const byStatus: Record<string, number> = {};
        for (const member of members) byStatus[member.status] = (byStatus[member.status] ?? 0) + 1;
        return {
          id: audience.id,
          name: audience.name,
          total,
          byStatus,
          members: members.map((member) => ({ id: member.id, email_address: member.email_address, status: member.status, merge_fields: member.merge_fields })),
        };
      }),
    })),
  };
}

export const webhooks: SandboxWebhooks<MailchimpAccount> = {
  signatureHeader: NO_SIGNATURE_HEADER,
  /** A "profile" event on the account's newest seeded member, to the app's webhook (or a made-up one). */
  sample(state, { url, account = PROFILE.accounts[0], secret }) {
    const hook = newestHook(state, account);
    const body = eventBody('profile', newestMember(state, account));
    let address = hook ? target(hook, url) : url;
    if (!hook || secret) {
      // No webhook (or another secret asked for): one named as the app names its own.
      const made = new URL(address);
      if (!hook) made.searchParams.set('channel', crypto.randomUUID());
      made.searchParams.set(TOKEN_PARAM, secret ?? crypto.randomBytes(32).toString('base64url'));
      address = made.toString();
    }
    return signed(address, body);
  },
  deliver: defineDeliverer(deliverSchema, async ({ state, mutate }, request) => {
    const account = PROFILE.accounts.find((a) => a.id === request.account) ?? PROFILE.accounts[0];
    const changed = request.mutate ? mutate({ provider: PROFILE.id, account: account.id, resource: 'members', ...request.mutate }) : undefined;
    const hooks = [...bookOf(state).webhooks.values()].filter(
      (hook) => hook.status === 'active' && hook.account === account.id && hook.listId === account.audiences[0].id && hook.events[request.type] !== false,
    );
    const touched = changed ? [...changed.created, ...changed.updated, ...changed.deleted] : [];
    const deliveries: Answer[] = [];
    for (const hook of hooks) {
      for (const id of touched.length > 0 ? touched : [undefined]) {
        deliveries.push(
          ...(await repeat(request.repeat, () => {
            const address = request.secret ? withToken(target(hook, request.url), request.secret) : target(hook, request.url);
            const sent = tamperDelivery(signed(address, eventBody(request.type, newestMember(state, account, id))), request.tamper);
            return post(sent.url, sent.headers, sent.body);
          })),
        );
      }
    }
    return { deliveries, mutation: changed };
  }),
  control: {
    'mailchimp-audiences': audiencesReadout,
    'mailchimp-webhooks': (state) => {
      const book = bookOf(state);
      return { webhooks: [...book.webhooks.values()].map((hook) => ({ ...hook, url: redactToken(hook.url) })), validations: book.validations };
    },
  },
};

function withToken(url: string, token: string): string {
  const moved = new URL(url);
  moved.searchParams.set(TOKEN_PARAM, token);
  return moved.toString();
}
