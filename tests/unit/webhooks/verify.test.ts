// verifyWebhook against the shared schemes' published test vectors (GitHub, Slack, Standard
// Webhooks), then against deliveries that must fail, and every registered provider's scheme
// against garbage. Each provider's own scheme has its vectors beside it
// (tests/sandbox/providers/<id>/webhooks.unit.test.ts). Where a scheme has no published vector for
// some case, the expected signature is computed here with node:crypto from the documented
// formula, never with the code under test.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { providers } from '@/lib/providers/registry';
import { githubSignature } from '@/lib/providers/github/signature';
import { slackSignature } from '@/lib/providers/slack/signature';
import { standardWebhooksSignature } from '@/lib/webhooks/standard';
import { verifyWebhook, type SignatureCheck, type VerifyInput } from '@/lib/webhooks/verify';
import { ANY_TIME, b64, expectRejected, expectRobust, expectVerified, hex } from '@/tests/support/webhook-checks';

// Each scheme by the name a delivery is stored with.
const SCHEMES = {
  github: githubSignature,
  slack: slackSignature,
  'standard-webhooks': standardWebhooksSignature,
} satisfies Record<string, SignatureCheck>;
type WebhookScheme = keyof typeof SCHEMES;

const expectOk = (scheme: WebhookScheme, input: VerifyInput) => expectVerified(SCHEMES[scheme], input);
const expectFail = (scheme: WebhookScheme, input: VerifyInput, reason?: RegExp) => expectRejected(SCHEMES[scheme], input, reason);

describe('verifyWebhook: github', () => {
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries ("Testing the webhook payload validation")
  const secret = "It's a Secret to Everybody";
  const body = 'Hello, World!';
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  const input = (headers: Record<string, string>, rawBody: string | Uint8Array = body, key = secret): VerifyInput => ({
    rawBody,
    headers,
    secret: key,
    now: ANY_TIME,
  });

  it('passes the published vector, from a string, bytes, a Headers object and any header case', () => {
    expectOk('github', input({ 'X-Hub-Signature-256': signature }));
    expectOk('github', input({ 'x-hub-signature-256': signature }, new TextEncoder().encode(body)));
    expectOk('github', { ...input({}), headers: new Headers({ 'X-Hub-Signature-256': signature }) });
    expectOk('github', input({ 'X-Hub-Signature-256': signature.toUpperCase().replace('SHA256=', 'sha256=') }));
  });

  it('fails a tampered body, a wrong secret, a missing or malformed header', () => {
    expectFail('github', input({ 'X-Hub-Signature-256': signature }, 'Hello, World?'), /does not match/);
    expectFail('github', input({ 'X-Hub-Signature-256': signature }, body, 'not the secret'), /does not match/);
    expectFail('github', input({}), /missing X-Hub-Signature-256/);
    expectFail('github', input({ 'X-Hub-Signature-256': signature.slice('sha256='.length) }), /malformed/);
    expectFail('github', input({ 'X-Hub-Signature-256': signature.slice(0, -2) }), /malformed/);
    expectFail('github', input({ 'X-Hub-Signature-256': `sha1=${'0'.repeat(40)}` }), /malformed/);
    // Two signature headers are ambiguous, even if one of them is right.
    expectFail('github', { ...input({}), headers: { 'x-hub-signature-256': [signature, `sha256=${'0'.repeat(64)}`] } }, /malformed/);
  });

  it('never verifies against an empty secret', () => {
    expectFail('github', input({ 'X-Hub-Signature-256': `sha256=${hex('', body)}` }, body, ''), /no webhook secret/);
  });

  it('fails a body that was parsed and re-serialized (whitespace differs)', () => {
    const raw = '{"action": "opened", "number": 1}';
    const headers = { 'X-Hub-Signature-256': `sha256=${hex(secret, raw)}` };
    expectOk('github', input(headers, raw));
    expectFail('github', input(headers, JSON.stringify(JSON.parse(raw))), /does not match/);
  });
});

describe('verifyWebhook: slack', () => {
  // https://api.slack.com/authentication/verifying-requests-from-slack (the step-by-step walk-through)
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const timestamp = '1531420618';
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  const at = (seconds: number) => new Date(seconds * 1000);
  const headers = { 'X-Slack-Request-Timestamp': timestamp, 'X-Slack-Signature': signature };
  const input = (overrides: Partial<VerifyInput> = {}): VerifyInput => ({ rawBody: body, headers, secret, now: at(1531420618 + 30), ...overrides });

  it('passes the published vector', () => {
    expectOk('slack', input());
    expectOk('slack', input({ now: at(1531420618 - 299) }));
  });

  it('fails a tampered body, a wrong secret, missing or malformed headers', () => {
    expectFail('slack', input({ rawBody: body.replace('foobar', 'foobaz') }), /does not match/);
    expectFail('slack', input({ secret: '8f742231b10e8888abcd99yyyzzz85a6' }), /does not match/);
    expectFail('slack', input({ headers: { 'X-Slack-Signature': signature } }), /missing X-Slack-Request-Timestamp/);
    expectFail('slack', input({ headers: { 'X-Slack-Request-Timestamp': timestamp } }), /missing X-Slack-Signature/);
    expectFail('slack', input({ headers: { ...headers, 'X-Slack-Signature': signature.replace('v0=', 'v1=') } }), /malformed/);
    expectFail('slack', input({ headers: { ...headers, 'X-Slack-Request-Timestamp': '1531420618.5' } }), /malformed/);
    expectFail('slack', input({ headers: { ...headers, 'X-Slack-Request-Timestamp': '1531420619' } }), /does not match/);
  });

  it('rejects timestamps more than 5 minutes away, in either direction', () => {
    expectFail('slack', input({ now: at(1531420618 + 301) }), /301 s old/);
    expectFail('slack', input({ now: at(1531420618 - 301) }), /in the future/);
  });
});

describe('verifyWebhook: standard-webhooks', () => {
  // standard-webhooks/standard-webhooks libraries/go/webhook_test.go (TestWebhookSign)
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = '1614265330';
  const body = '{"test": 2432232314}';
  const signature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const at = (seconds: number) => new Date(seconds * 1000);
  const input = (overrides: Partial<VerifyInput> = {}, signatures = signature): VerifyInput => ({
    rawBody: body,
    headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures },
    secret,
    now: at(1614265330),
    ...overrides,
  });

  it('passes the published vector, with or without the whsec_ prefix on the secret', () => {
    expectOk('standard-webhooks', input());
    expectOk('standard-webhooks', input({ secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }));
  });

  it('passes when any of several signatures matches, and ignores other versions', () => {
    // The Go library's "valid multi sig is valid" case.
    const others = ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc='];
    expectOk('standard-webhooks', input({}, [...others, signature, others[0]].join(' ')));
    expectOk('standard-webhooks', input({}, `v1,not-base64 ${signature}`));
    expectFail('standard-webhooks', input({}, others.join(' ')), /no webhook-signature entry matches/);
    expectFail('standard-webhooks', input({}, signature.replace('v1,', 'v2,')), /no v1 signature/);
  });

  it('fails tampered bodies and ids, wrong secrets, missing or malformed headers', () => {
    expectFail('standard-webhooks', input({ rawBody: '{"test": 2432232315}' }), /matches/);
    expectFail('standard-webhooks', input({ rawBody: JSON.stringify(JSON.parse(body)) }), /matches/);
    expectFail('standard-webhooks', input({ headers: { 'webhook-id': 'msg_other', 'webhook-timestamp': timestamp, 'webhook-signature': signature } }), /matches/);
    expectFail('standard-webhooks', input({ secret: `whsec_${Buffer.from('another secret key').toString('base64')}` }), /matches/);
    expectFail('standard-webhooks', input({ secret: 'whsec_not base64!' }), /secret is not/);
    expectFail('standard-webhooks', input({ headers: { 'webhook-timestamp': timestamp, 'webhook-signature': signature } }), /missing webhook-id/);
    expectFail('standard-webhooks', input({ headers: { 'webhook-id': id, 'webhook-signature': signature } }), /missing webhook-timestamp/);
    expectFail('standard-webhooks', input({ headers: { 'webhook-id': id, 'webhook-timestamp': timestamp } }), /missing webhook-signature/);
    expectFail('standard-webhooks', input({ headers: { 'webhook-id': id, 'webhook-timestamp': '-1614265330', 'webhook-signature': signature } }), /malformed/);
  });

  it('rejects timestamps more than 5 minutes away, in either direction', () => {
    expectOk('standard-webhooks', input({ now: at(1614265330 + 300) }));
    expectOk('standard-webhooks', input({ now: at(1614265330 - 300) }));
    expectFail('standard-webhooks', input({ now: at(1614265330 + 301) }), /old/);
    expectFail('standard-webhooks', input({ now: at(1614265330 - 301) }), /future/);
  });

  it('signs with the base64-decoded secret, per the spec formula', () => {
    // No second published vector: computed from the spec's formula with node:crypto.
    const key = Buffer.from('c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==', 'base64');
    const now = 1_790_000_000;
    const own = `v1,${b64(key, `evt_1.${now}.{"a":1}`)}`;
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': own };
    expectOk('standard-webhooks', { rawBody: '{"a":1}', headers, secret: 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==', now: at(now) });
    // Using the base64 text itself as the key is the classic mistake; it must not verify.
    const wrong = `v1,${b64('c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==', `evt_1.${now}.{"a":1}`)}`;
    expectFail('standard-webhooks', {
      rawBody: '{"a":1}',
      headers: { ...headers, 'webhook-signature': wrong },
      secret: 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==',
      now: at(now),
    });
  });
});

describe('verifyWebhook: robustness', () => {
  it('never throws on garbage, and never echoes the secret or the expected signature', () => {
    const secret = 'a-very-secret-value';
    const body = '{"x":1}';
    // The shared schemes, and the scheme every registered provider verifies its deliveries with.
    expectRobust([...Object.values(SCHEMES), ...providers.flatMap((provider) => (provider.webhooks && provider.webhooks.deliveries.kind !== 'token-authenticated' ? [provider.webhooks.deliveries.verify] : []))]);
    expect(verifyWebhook('nope' as unknown as SignatureCheck, { rawBody: body, headers: {}, secret, now: ANY_TIME })).toEqual({
      ok: false,
      reason: 'unknown webhook verification scheme',
    });
    expect(verifyWebhook(SCHEMES.github, { rawBody: body, headers: {}, secret, now: new Date(NaN) }).ok).toBe(false);
  });

  it('verifies the exact bytes, even when they are not valid UTF-8', () => {
    const secret = 'bytes';
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = crypto.createHmac('sha256', secret).update(bytes).digest('hex');
    expectOk('github', { rawBody: bytes, headers: { 'X-Hub-Signature-256': `sha256=${signature}` }, secret, now: ANY_TIME });
    // Decoding to a string and back replaces the invalid bytes: a different body.
    expectFail('github', { rawBody: new TextDecoder().decode(bytes), headers: { 'X-Hub-Signature-256': `sha256=${signature}` }, secret, now: ANY_TIME });
  });
});
