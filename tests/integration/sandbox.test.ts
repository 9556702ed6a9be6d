// The provider sandbox's shared behaviour: its control API and token knobs, driven through the app's
// own OAuth dialect code for a provider picked by trait. Each provider's OAuth dialect is pinned
// beside it (tests/sandbox/providers/<id>/sandbox.integration.test.ts, on the shared checks in
// tests/support/sandbox-oauth.ts).
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '@/lib/oauth/authorize-url';
import { buildTokenRequest } from '@/lib/oauth/token-endpoint';
import { sandboxCredentials } from '@/lib/providers/credentials';
import type { ProviderDefinition } from '@/lib/providers/types';
import { codeChallengeS256, sandboxUrlOf, startSandbox, type Sandbox } from '../sandbox/server';
import { exampleProviders } from '../support/providers';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  process.env.PROVIDER_SANDBOX_URL = sandbox.url;
});
afterAll(async () => {
  await sandbox.close();
  delete process.env.PROVIDER_SANDBOX_URL;
});
beforeEach(() => sandbox.reset());

const REDIRECT_URI = 'http://localhost:3000/api/oauth/callback';
type Json = Record<string, unknown>;
const sb = (realUrl: string) => sandboxUrlOf(sandbox.url, realUrl);

// Two OAuth providers, whichever are registered.
const [first, second, third] = exampleProviders({ auth: 'oauth2' });

/** A token request as the app sends it (lib/oauth/token-endpoint.ts), to the sandbox. */
async function tokenRequest(definition: ProviderDefinition, grant: Record<string, string>): Promise<Json> {
  const request = buildTokenRequest(definition, sandboxCredentials(definition)!, grant);
  const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** The code flow in the provider's own dialect, as the app runs it (auto-approved). */
async function connect(definition: ProviderDefinition): Promise<Json> {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const url = buildAuthorizeUrl(definition, sandboxCredentials(definition)!, { state: 'state-123', redirectUri: REDIRECT_URI, codeChallenge: codeChallengeS256(verifier) });
  sandbox.knobs.autoApprove = true;
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
  return tokenRequest(definition, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
}

describe('provider sandbox: provider specifics', () => {
  it('delays token responses by tokenDelayMs', async () => {
    const tokens = await connect(first.definition);
    sandbox.setKnobs({ tokenDelayMs: 300 });
    const started = Date.now();
    await tokenRequest(first.definition, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('provider sandbox: control API', () => {
  it('answers health, merges knobs, reports stats and resets', async () => {
    expect(await (await fetch(`${sandbox.url}/_sandbox/health`)).json()).toEqual({ ok: true });
    const post = (path: string, body?: unknown) =>
      fetch(`${sandbox.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });

    // Per-provider knobs merge by provider: any three OAuth providers show it (two where only two are registered).
    const identityTarget = third ?? first;
    await post('knobs', { autoApprove: true, rotateRefreshTokens: { [first.id]: true } });
    const merged = await post('knobs', { rotateRefreshTokens: { [second.id]: true }, identityStatus: { [identityTarget.id]: 503 } });
    expect(await merged.json()).toEqual({
      autoApprove: true,
      rotateRefreshTokens: { [first.id]: true, [second.id]: true },
      identityStatus: { [identityTarget.id]: 503 },
    });
    expect(sandbox.knobs.autoApprove).toBe(true);
    expect((await post('knobs', { autoApprove: 'yes' })).status).toBe(400);
    expect((await post('knobs', { identityStatus: { [identityTarget.id]: null } })).status).toBe(200);
    expect(sandbox.knobs.identityStatus).toEqual({});

    await connect(first.definition);
    const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { tokenRequests: Record<string, Json> };
    expect(stats.tokenRequests[first.id]).toEqual({ authorization_code: 1, refresh_token: 0 });

    expect((await post('reset')).status).toBe(200);
    expect(sandbox.knobs).toEqual({});
    expect(sandbox.stats().tokenRequests[first.id].authorization_code).toBe(0);
  });

  it('answers 404 for a host or path it does not play', async () => {
    const res = await fetch(sb('https://api.example.com/v1/anything'));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'sandbox_no_route' });
  });
});
