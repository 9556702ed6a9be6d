// Slack's request signature (lib/providers/slack/signature.ts), its Events API parser and its token
// and error dialect. Slack publishes a test vector for the signature
// (https://api.slack.com/authentication/verifying-requests-from-slack, the step-by-step example:
// signing secret 8f742231b10e8888abcd99yyyzzz85a5, timestamp 1531420618, a slash-command body and
// v0=a2114d57…); it is checked here and in tests/unit/webhooks/verify.test.ts. Other signatures are
// computed independently with node:crypto, never with the code under test, and the sandbox's signer
// is held to the same computation.
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseSlackTokenResponse } from '@/lib/providers/slack';
import { escapeSlackText } from '@/lib/providers/slack/actions';
import { describeSlackError, statusOfSlackError } from '@/lib/providers/slack/api';
import { EDIT_WINDOW_SECONDS, oldestFor } from '@/lib/providers/slack/resources';
import { slackSignature } from '@/lib/providers/slack/signature';
import { parseDeliveries, slackWebhooks } from '@/lib/providers/slack/webhooks';
import { ReauthorizationRequiredError } from '@/lib/providers/errors';
import type { VerifyInput } from '@/lib/webhooks/verify';
import { expectRejected, expectRobust, expectVerified, hex } from '@/tests/support/webhook-checks';
import { sign } from './webhooks';

describe('X-Slack-Signature', () => {
  const published = {
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    timestamp: '1531420618',
    body:
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  };
  const at = (seconds: number) => new Date(seconds * 1000);

  it("verifies Slack's published example", () => {
    expectVerified(slackSignature, {
      rawBody: published.body,
      headers: { 'X-Slack-Request-Timestamp': published.timestamp, 'X-Slack-Signature': published.signature },
      secret: published.secret,
      now: at(Number(published.timestamp) + 60),
    });
  });

  const SECRET = 'sandbox-signing-secret-slack';
  const NOW = new Date('2026-11-01T12:00:00Z');
  const T = String(NOW.getTime() / 1000);
  const BODY = JSON.stringify({ type: 'event_callback', team_id: 'T0001', event_id: 'Ev0001', event: { type: 'message', channel: 'C1', ts: '1.000001', text: 'hi' } });
  const input = (headers: Record<string, string>, overrides: Partial<VerifyInput> = {}): VerifyInput => ({ rawBody: BODY, headers, secret: SECRET, now: NOW, ...overrides });
  const good = { 'X-Slack-Request-Timestamp': T, 'X-Slack-Signature': `v0=${hex(SECRET, `v0:${T}:${BODY}`)}` };

  it('verifies a signature computed independently, and the sandbox signs the same way', () => {
    expectVerified(slackSignature, input(good));
    expect(sign(BODY, SECRET, NOW.getTime())).toEqual(good);
  });

  it('refuses a tampered body, another secret, a moved timestamp and malformed headers', () => {
    expectRejected(slackSignature, input(good, { rawBody: `${BODY} ` }), /does not match/);
    expectRejected(slackSignature, input(good, { rawBody: JSON.stringify(JSON.parse(BODY), null, 1) }), /does not match/);
    expectRejected(slackSignature, input(good, { secret: `${SECRET}x` }), /does not match/);
    expectRejected(slackSignature, input({ ...good, 'X-Slack-Request-Timestamp': String(Number(T) + 1) }), /does not match/);
    expectRejected(slackSignature, input({ ...good, 'X-Slack-Signature': good['X-Slack-Signature'].toUpperCase() }), /malformed/);
    expectRejected(slackSignature, input({ 'X-Slack-Signature': good['X-Slack-Signature'] }), /missing X-Slack-Request-Timestamp/);
    expectRejected(slackSignature, input({ 'X-Slack-Request-Timestamp': T }), /missing X-Slack-Signature/);
  });

  it('accepts five minutes either way and no more', () => {
    expectVerified(slackSignature, input(good, { now: new Date(NOW.getTime() + 300_000) }));
    expectVerified(slackSignature, input(good, { now: new Date(NOW.getTime() - 300_000) }));
    expectRejected(slackSignature, input(good, { now: new Date(NOW.getTime() + 301_000) }), /301 s old/);
    expectRejected(slackSignature, input(good, { now: new Date(NOW.getTime() - 301_000) }), /in the future/);
  });

  it('never throws or verifies on garbage', () => {
    expectRobust([slackSignature]);
  });
});

describe('Slack Events API parsing', () => {
  const envelope = (event: Record<string, unknown>) => ({ type: 'event_callback', team_id: 'T0SBX', event_id: 'Ev42', event_time: 1_700_000_000, event });

  it('answers url_verification with the challenge (only called once verified) and ignores other bodies', () => {
    expect(slackWebhooks.verifiedReply!({ type: 'url_verification', token: 't', challenge: 'abc123' })).toBeInstanceOf(Response);
    expect(slackWebhooks.verifiedReply!(envelope({ type: 'message' }))).toBeNull();
  });

  it('turns a new message into its record, routed by team_id and keyed by event_id', () => {
    const [event] = parseDeliveries({ body: envelope({ type: 'message', channel: 'C1', user: 'U1', text: 'hi', ts: '1700000000.000100', event_ts: '1700000000.000100', channel_type: 'channel' }), headers: new Headers() });
    expect(event).toMatchObject({ eventId: 'Ev42', eventType: 'message', accountId: 'T0SBX', resource: 'messages', occurredAt: '2023-11-14T22:13:20.000Z' });
    expect(event.change).toEqual({ kind: 'upsert', record: { externalId: 'C1:1700000000.000100', data: { type: 'message', user: 'U1', text: 'hi', ts: '1700000000.000100', channel: 'C1' } } });
  });

  it('reads edits, deletions, user changes and channel events', () => {
    const parse = (event: Record<string, unknown>) => parseDeliveries({ body: envelope(event), headers: new Headers() })[0];
    const edited = parse({ type: 'message', subtype: 'message_changed', channel: 'C1', ts: '2.0', message: { type: 'message', text: 'new', ts: '1.000001', edited: { ts: '2.0' } } });
    expect(edited.change).toMatchObject({ kind: 'upsert', record: { externalId: 'C1:1.000001', data: { text: 'new', channel: 'C1' } } });
    expect(parse({ type: 'message', subtype: 'message_deleted', channel: 'C1', ts: '3.0', deleted_ts: '1.000001' }).change).toEqual({ kind: 'delete', externalId: 'C1:1.000001' });
    expect(parse({ type: 'user_change', user: { id: 'U9', profile: { email: 'a@b.example' } } }).change).toMatchObject({ kind: 'upsert', record: { externalId: 'U9' } });
    expect(parse({ type: 'member_joined_channel', channel: 'C2', user: 'U1' })).toMatchObject({ resource: 'messages', change: { kind: 'sync' } });
    expect(parse({ type: 'reaction_added' })).toMatchObject({ resource: null, change: { kind: 'none' } });
    // A thread reply is not in the channel's history: not stored.
    expect(parse({ type: 'message', channel: 'C1', ts: '5.000001', thread_ts: '1.000001', text: 'reply' })).toMatchObject({ resource: 'messages', change: { kind: 'none' } });
  });

  it('refuses what is not an Events API body', () => {
    expect(() => parseDeliveries({ body: { type: 'event_callback', event: {} }, headers: new Headers() })).toThrow(ZodError);
    expect(() => parseDeliveries({ body: [1, 2], headers: new Headers() })).toThrow(ZodError);
  });
});

describe('Slack tokens and errors', () => {
  const now = new Date('2026-11-01T12:00:00Z');

  it('reads a bot token answer, with and without token rotation', () => {
    const plain = parseSlackTokenResponse({ ok: true, access_token: 'xoxb-1', token_type: 'bot', scope: 'chat:write,users:read', team: { id: 'T1', name: 'Acme' }, bot_user_id: 'UB' }, now);
    expect(plain).toEqual({ accessToken: 'xoxb-1', refreshToken: undefined, expiresAt: undefined, scopes: ['chat:write', 'users:read'], extra: { team_id: 'T1', team_name: 'Acme', bot_user_id: 'UB' } });
    const rotating = parseSlackTokenResponse({ ok: true, access_token: 'xoxe.xoxb-2', expires_in: 43_200, refresh_token: 'xoxe-1-r2', team: { id: 'T1' } }, now, plain);
    expect(rotating).toMatchObject({ accessToken: 'xoxe.xoxb-2', refreshToken: 'xoxe-1-r2', expiresAt: '2026-11-02T00:00:00.000Z', scopes: ['chat:write', 'users:read'] });
  });

  it('reads an HTTP-200 refusal: a dead grant needs reauthorizing', () => {
    expect(() => parseSlackTokenResponse({ ok: false, error: 'invalid_refresh_token' }, now)).toThrow(ReauthorizationRequiredError);
    expect(() => parseSlackTokenResponse({ ok: false, error: 'invalid_code' }, now)).toThrow(ReauthorizationRequiredError);
  });

  it('gives each Web API error code the HTTP status it amounts to', () => {
    expect(['token_revoked', 'invalid_auth', 'not_authed'].map(statusOfSlackError)).toEqual([401, 401, 401]);
    expect(statusOfSlackError('ratelimited')).toBe(429);
    expect(statusOfSlackError('missing_scope')).toBe(403);
    expect(statusOfSlackError('something_new')).toBe(400);
    expect(describeSlackError({ ok: false, error: 'missing_scope', needed: 'chat:write' })).toBe('missing_scope (needs chat:write)');
    expect(describeSlackError({ ok: true })).toBeUndefined();
  });

  it('re-reads a channel from its stored oldest ts, moved back by the edit window', () => {
    const nowSeconds = now.getTime() / 1000;
    expect(oldestFor(undefined, now)).toBeUndefined();
    expect(oldestFor('1000.000001', now)).toBe('1000.000001');
    expect(oldestFor(`${nowSeconds - 60}.000001`, now)).toBe(`${nowSeconds - EDIT_WINDOW_SECONDS}.000000`);
  });

  it('escapes exactly Slack’s three control characters', () => {
    expect(escapeSlackText('a & b <!here> <@U1> > c "q"')).toBe('a &amp; b &lt;!here&gt; &lt;@U1&gt; &gt; c "q"');
  });
});
