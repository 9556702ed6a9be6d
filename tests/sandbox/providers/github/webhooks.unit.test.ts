// GitHub's signature, delivery parsing, rate-limit reading, Link paging and token answers, without
// a server. The signature is checked against GitHub's published test vector and against signatures
// made by GitHub's own library (@octokit/webhooks-methods), including a re-serialized body, which
// must fail: GitHub signs the raw bytes it sent.
import { sign, verify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { ProviderHttpError, ReauthorizationRequiredError } from '@/lib/providers/errors';
import { asRateLimit, nextLink, SECONDARY_LIMIT_WAIT_SECONDS } from '@/lib/providers/github/api';
import { github } from '@/lib/providers/github';
import { githubSignature } from '@/lib/providers/github/signature';
import { githubWebhooks, parseDeliveries, storedDelivery } from '@/lib/providers/github/webhooks';
import { verifyWebhook } from '@/lib/webhooks/verify';

const NOW = new Date('2026-12-07T10:00:00Z');
const check = (body: string | Uint8Array, signature: string | undefined, secret: string) =>
  verifyWebhook(githubSignature, { rawBody: body, headers: signature === undefined ? {} : { 'X-Hub-Signature-256': signature }, secret, now: NOW });

const issueBody = {
  action: 'opened',
  issue: { id: 3100000001, number: 7, title: 'Crash on startup', state: 'open', updated_at: '2026-12-07T09:00:00Z', repository_url: 'https://api.github.com/repos/ada-lovelace/website-0' },
  repository: { full_name: 'ada-lovelace/website-0' },
};
const headersFor = (event: string, delivery = '72d3162e-cc78-11e3-81ab-4c9367dc0958') => new Headers({ 'x-github-event': event, 'x-github-delivery': delivery });

describe('GitHub X-Hub-Signature-256', () => {
  it("passes GitHub's published test vector", () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expect(check('Hello, World!', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', "It's a Secret to Everybody")).toEqual({ ok: true });
  });

  it("accepts what GitHub's own library signs, and refuses a re-serialized, tampered or foreign-keyed body", async () => {
    const secret = 'hook-secret-of-this-channel';
    // Spacing and key order as GitHub sends it, which JSON.stringify would not reproduce.
    const raw = '{"action": "opened",  "issue": {"number": 7, "title": "Crash"},\n "zen": "ünïcode"}';
    const signature = await sign(secret, raw);
    expect(await verify(secret, raw, signature)).toBe(true);
    expect(check(raw, signature, secret)).toEqual({ ok: true });
    expect(check(new TextEncoder().encode(raw), signature, secret)).toEqual({ ok: true });
    expect(check(JSON.stringify(JSON.parse(raw)), signature, secret)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    expect(check(raw.replace('Crash', 'Crush'), signature, secret)).toMatchObject({ ok: false });
    expect(check(raw, await sign('another-secret', raw), secret)).toMatchObject({ ok: false });
    expect(check(raw, undefined, secret)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(check(raw, signature.replace('sha256=', 'sha1='), secret)).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/) });
  });
});

describe('GitHub deliveries', () => {
  it('ping is recorded and does nothing', () => {
    const [ping] = parseDeliveries({ body: { zen: 'Design for failure.', hook_id: 1, repository: { full_name: 'ada-lovelace/website-0' } }, headers: headersFor('ping') });
    expect(ping).toMatchObject({ eventType: 'ping', eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', change: { kind: 'none' }, resource: null });
  });

  it('issues events carry the issue as the sync stores it; deletions delete; pull requests and pushes ask for a sync', () => {
    const [opened] = parseDeliveries({ body: issueBody, headers: headersFor('issues') });
    expect(opened).toMatchObject({ eventType: 'issues.opened', resource: 'issues', accountId: 'ada-lovelace/website-0', change: { kind: 'upsert', record: { externalId: '3100000001' } } });
    const [deleted] = parseDeliveries({ body: { ...issueBody, action: 'deleted' }, headers: headersFor('issues') });
    expect(deleted.change).toEqual({ kind: 'delete', externalId: '3100000001' });
    const [commented] = parseDeliveries({ body: { ...issueBody, action: 'created', comment: { id: 1 } }, headers: headersFor('issue_comment') });
    expect(commented.change.kind).toBe('upsert');
    expect(parseDeliveries({ body: { action: 'opened', pull_request: {} }, headers: headersFor('pull_request') })[0]).toMatchObject({ resource: 'issues', change: { kind: 'sync' } });
    expect(parseDeliveries({ body: { ref: 'refs/heads/main' }, headers: headersFor('push') })[0]).toMatchObject({ resource: 'commits', change: { kind: 'sync' } });
  });

  it('a stored delivery keeps its event and delivery id, and reads back the same', () => {
    const stored = storedDelivery(headersFor('issues', 'abc'), issueBody);
    expect(stored).toMatchObject({ event: 'issues', delivery: 'abc' });
    expect(githubWebhooks.reparse!(JSON.parse(JSON.stringify(stored)))).toEqual(parseDeliveries({ body: issueBody, headers: headersFor('issues', 'abc') }));
  });
});

describe('GitHub rate limits', () => {
  const error = (status: number, message: string, headers: Record<string, string> = {}, retryAfter?: number) =>
    new ProviderHttpError(status, message, retryAfter, new Headers(headers));

  it('a secondary limit waits as long as Retry-After says, or a minute when it says nothing', () => {
    expect(asRateLimit(error(403, 'You have exceeded a secondary rate limit', { 'retry-after': '7' }, 7))).toMatchObject({ status: 429, retryAfterSeconds: 7, temporary: true });
    expect(asRateLimit(error(403, 'You have exceeded a secondary rate limit'))).toMatchObject({ status: 429, retryAfterSeconds: SECONDARY_LIMIT_WAIT_SECONDS });
    expect(asRateLimit(error(429, 'slow down'))).toMatchObject({ status: 429, retryAfterSeconds: SECONDARY_LIMIT_WAIT_SECONDS });
  });

  it('the primary limit waits until x-ratelimit-reset', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    const reset = String(now / 1000 + 125);
    expect(asRateLimit(error(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), now)).toMatchObject({ status: 429, retryAfterSeconds: 125 });
  });

  it('a 403 for missing permissions stays a refusal', () => {
    expect(asRateLimit(error(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '4999' }))).toBeNull();
    expect(asRateLimit(error(404, 'Not Found'))).toBeNull();
  });

  it('follows the Link header to rel="next" only', () => {
    const link = '<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last"';
    expect(nextLink(link)).toBe('https://api.github.com/repositories/1/issues?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});

describe('GitHub token answers', () => {
  const auth = github.auth.kind === 'oauth2' ? github.auth : null;
  const now = new Date('2026-12-07T10:00:00Z');

  it('stores a non-expiring OAuth App token as it is, and an expiring user token with its rotating refresh token', () => {
    expect(auth!.parseTokenResponse({ access_token: 'gho_x', token_type: 'bearer', scope: 'repo,read:user' }, now)).toEqual({
      accessToken: 'gho_x',
      refreshToken: undefined,
      expiresAt: undefined,
      scopes: ['repo', 'read:user'],
      extra: undefined,
    });
    const expiring = auth!.parseTokenResponse({ access_token: 'ghu_x', expires_in: 28800, refresh_token: 'ghr_x', refresh_token_expires_in: 15897600, scope: '', token_type: 'bearer' }, now);
    expect(expiring).toMatchObject({ accessToken: 'ghu_x', refreshToken: 'ghr_x', expiresAt: '2026-12-07T18:00:00.000Z' });
    expect(auth!.refreshTokenRotates).toBe(true);
  });

  it('a refusal answered with 200 and an error field needs a reconnect', () => {
    expect(() => auth!.parseTokenResponse({ error: 'bad_refresh_token', error_description: 'The refresh token passed is incorrect or expired.' }, now)).toThrow(ReauthorizationRequiredError);
  });
});
