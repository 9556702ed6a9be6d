// Mailchimp's pieces that need no network: the URL-secret check its unsigned webhooks rely on (right,
// wrong, missing, tampered), its form-encoded events, its validation GET, its token answer (nothing
// expires, nothing refreshes), the data-centre host check (SSRF), the subscriber hash, and the
// sandbox's limit of ten simultaneous connections per account (driven without timing).
import crypto from 'node:crypto';
import { ZodError } from 'zod';
import { describe, expect, it } from 'vitest';
import { checkedApiEndpoint, isMailchimpHost, subscriberHash } from '@/lib/providers/mailchimp/api';
import { mailchimpProvider, parseMailchimpTokens } from '@/lib/providers/mailchimp';
import { parseDeliveries, urlTokenCheck, validationHandshake } from '@/lib/providers/mailchimp/webhooks';
import { verifyWebhook } from '@/lib/webhooks/verify';
import { newSandboxState } from '../../knobs';
import type { SandboxState } from '../../state';
import { apiHost, PROFILE } from './accounts';
import { MAX_CONNECTIONS, mailchimpApiRoutes, takeConnection } from './api';
import { subscriberHash as sandboxHash } from './audiences';

const NOW = new Date('2026-12-07T03:00:00Z');
const TOKEN = crypto.randomBytes(32).toString('base64url');
const BODY = 'type=profile&fired_at=2026-12-07+02%3A59%3A58&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=b1a2c3d4e5&data%5Bemail%5D=ada%40example.com';
const check = (url: string, secret = TOKEN) => verifyWebhook(urlTokenCheck, { rawBody: BODY, headers: {}, url, secret, now: NOW });

describe('Mailchimp webhook URL secret', () => {
  const base = 'https://hub.example/api/webhooks/mailchimp?channel=5b1f3c9e-2d4a-4f7b-9c1e-0a2b3c4d5e6f';
  it('accepts the channel token carried in the URL', () => {
    expect(check(`${base}&token=${TOKEN}`)).toEqual({ ok: true });
  });
  it('refuses a wrong token, a token one character off, and no token', () => {
    expect(check(`${base}&token=${crypto.randomBytes(32).toString('base64url')}`)).toEqual({ ok: false, reason: 'the webhook URL token does not match the channel' });
    const flipped = TOKEN.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(check(`${base}&token=${flipped}`).ok).toBe(false);
    expect(check(`${base}&token=${TOKEN.slice(0, -1)}`).ok).toBe(false);
    expect(check(base)).toEqual({ ok: false, reason: 'the webhook URL carries no token' });
    expect(check(`${base}&token=`)).toEqual({ ok: false, reason: 'the webhook URL carries no token' });
  });
  it('never verifies against an empty secret', () => {
    expect(check(`${base}&token=`, '').ok).toBe(false);
  });
});

describe('Mailchimp events', () => {
  const form = (fields: Record<string, string>) => Object.fromEntries(new URLSearchParams(fields));

  it('turns a member event into one incremental sync of the members, keyed by type, audience, member and time', () => {
    const [event] = parseDeliveries({
      body: form({ type: 'unsubscribe', fired_at: '2026-12-07 02:59:58', 'data[id]': '8a25ff1d98', 'data[list_id]': 'b1a2c3d4e5', 'data[email]': 'ada@example.com', 'data[action]': 'unsub' }),
      headers: new Headers(),
    });
    expect(event).toEqual({
      eventId: 'unsubscribe:b1a2c3d4e5:8a25ff1d98:2026-12-07 02:59:58',
      eventType: 'unsubscribe',
      accountId: '',
      resource: 'members',
      change: { kind: 'sync' },
      occurredAt: '2026-12-07T02:59:58.000Z',
      details: { listId: 'b1a2c3d4e5', memberId: '8a25ff1d98' },
    });
  });

  it('records campaign events without asking for anything, and refuses a body that is no event', () => {
    const [campaign] = parseDeliveries({ body: form({ type: 'campaign', fired_at: '2026-12-07 03:00:00', 'data[list_id]': 'b1a2c3d4e5' }), headers: new Headers() });
    expect(campaign).toMatchObject({ eventType: 'campaign', resource: null, change: { kind: 'none' } });
    expect(() => parseDeliveries({ body: form({ fired_at: '2026-12-07 03:00:00' }), headers: new Headers() })).toThrow(ZodError);
  });

  it('answers the validation GET with 200 and leaves every POST to verification', () => {
    expect(validationHandshake(new Request('https://hub.example/api/webhooks/mailchimp?channel=x&token=y'))?.status).toBe(200);
    expect(validationHandshake(new Request('https://hub.example/api/webhooks/mailchimp', { method: 'POST', body: BODY }))).toBeNull();
  });
});

describe('Mailchimp OAuth and hosts', () => {
  it('stores a token that never expires and has no refresh token', () => {
    expect(parseMailchimpTokens({ access_token: 'tok', expires_in: 0, scope: null }, NOW)).toEqual({ accessToken: 'tok', expiresAt: undefined, extra: undefined });
    // A reconnect keeps what the metadata endpoint said until it is asked again.
    expect(parseMailchimpTokens({ access_token: 'tok2', expires_in: 0 }, NOW, { accessToken: 'tok', extra: { dc: 'us6' } }).extra).toEqual({ dc: 'us6' });
    expect(mailchimpProvider.auth.kind === 'oauth2' && mailchimpProvider.auth.scopes).toEqual([]);
  });

  it('accepts only Mailchimp hosts, and an api_endpoint only on the data centre the metadata names', () => {
    expect(isMailchimpHost('login.mailchimp.com')).toBe(true);
    expect(isMailchimpHost('us19.api.mailchimp.com')).toBe(true);
    for (const host of ['mailchimp.com', 'api.mailchimp.com', 'us6.api.mailchimp.com.evil.example', 'evil.example', 'us6.admin.mailchimp.com']) expect(isMailchimpHost(host), host).toBe(false);
    expect(checkedApiEndpoint('https://us6.api.mailchimp.com', 'us6', 'live')).toBe('https://us6.api.mailchimp.com');
    for (const endpoint of ['https://us7.api.mailchimp.com', 'http://us6.api.mailchimp.com', 'https://us6.api.mailchimp.com:8443', 'https://us6.api.mailchimp.com/3.0', 'https://evil.example', 'https://user@us6.api.mailchimp.com']) {
      expect(() => checkedApiEndpoint(endpoint, 'us6', 'live'), endpoint).toThrow(/api_endpoint/);
    }
  });

  it('hashes a subscriber as the MD5 of the lower-case address, as the sandbox does', () => {
    const expected = crypto.createHash('md5').update('ada.lovelace@example.com').digest('hex');
    expect(subscriberHash(' Ada.Lovelace@Example.COM ')).toBe(expected);
    expect(sandboxHash('ADA.LOVELACE@example.com')).toBe(expected);
  });
});

describe('the sandbox’s ten simultaneous connections', () => {
  const listsRoute = mailchimpApiRoutes.find((r) => r.method === 'GET' && r.path === '/3.0/lists')!;
  const call = (state: SandboxState, token: string, account = PROFILE.accounts[0]) =>
    listsRoute.handle({
      method: 'GET',
      host: apiHost(account),
      path: '/3.0/lists',
      query: new URLSearchParams(),
      rawQuery: '',
      headers: { authorization: `Bearer ${token}` },
      body: Buffer.alloc(0),
      state,
      publicBaseUrl: 'http://127.0.0.1:0',
      params: {},
    });
  const tokenFor = (state: SandboxState, account = PROFILE.accounts[0]) =>
    state.mint(state.createGrant({ provider: 'mailchimp', accountId: account.id, clientId: 'sandbox-mailchimp', scopes: [], offline: false }), 'access', 3600).token;

  it('answers 429 while all ten of an account’s connections are taken, and serves again once one is free', async () => {
    const state = newSandboxState();
    const token = tokenFor(state);
    const held = Array.from({ length: MAX_CONNECTIONS }, () => takeConnection(state, PROFILE.accounts[0].id));
    expect(held.every(Boolean)).toBe(true);
    expect(takeConnection(state, PROFILE.accounts[0].id)).toBeNull();
    const refused = await call(state, token);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body!)).toMatchObject({ title: 'Too Many Requests', status: 429, detail: 'You have exceeded the limit of 10 simultaneous connections.' });
    // The other account has ten of its own.
    expect((await call(state, tokenFor(state, PROFILE.accounts[1]), PROFILE.accounts[1])).status).toBe(200);
    held[0]!();
    held[0]!();
    expect((await call(state, token)).status).toBe(200);
    expect(takeConnection(state, PROFILE.accounts[0].id)).not.toBeNull();
    expect(takeConnection(state, PROFILE.accounts[0].id)).toBeNull();
  });

  it('refuses a token on another data centre’s host', async () => {
    const state = newSandboxState();
    const reply = await call(state, tokenFor(state, PROFILE.accounts[1]), PROFILE.accounts[0]);
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body!)).toMatchObject({ title: 'Wrong Datacenter' });
  });
});
