// The provider sandbox plays each provider's OAuth dialect. A provider's own test
// (tests/sandbox/providers/<id>/sandbox.integration.test.ts) describes its dialect as an OAuthSpec
// and runs describeOAuthDialect on it, which drives the sandbox with plain fetch, as the app
// would, and pins the behaviours the app relies on; its provider specifics use the same kit.
// (The shared part of what was tests/integration/sandbox.test.ts.)
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, codeChallengeS256, PROVIDERS, sandboxClient, sandboxUrlOf, startSandbox, type ProviderId, type Sandbox } from '../sandbox/server';

export const REDIRECT_URI = 'http://localhost:3000/api/oauth/callback';
export type Json = Record<string, unknown>;

/** One provider's OAuth dialect as the sandbox must play it. */
export interface OAuthSpec {
  id: ProviderId;
  authorizeUrl: string;
  tokenUrl: string;
  encoding: 'form' | 'json';
  sendsSecret: boolean;
  authorizeParams: Record<string, string>;
  /** Calls the identity endpoint with the token answer; returns the status and the account id it names. */
  identify(tokens: Json): Promise<{ status: number; accountId?: string }>;
  /** The identity endpoint's raw answer (the identityStatus knob forces its status). */
  identityResponse(tokens: Json): Promise<Response>;
  /** Status of the identity endpoint called with no (or no valid) token. */
  unauthenticatedStatus: number;
  /** What a token answer carries besides the token that identify() needs (e.g. an instance URL). */
  tokenExtras?(): Json;
  /** Status of a code exchange with the wrong PKCE verifier (default 400). */
  badVerifierStatus?: number;
  /** Status of a token request from a wrong client (default 401). */
  invalidClientStatus?: number;
  /** The old refresh token dies with every refresh (the new one works). */
  rotates?: boolean;
  /** Status of a refresh with a refresh token that rotated away (default 401; Microsoft answers 400). */
  rotatedRefreshStatus?: number;
  checkCodeAnswer(body: Json): void;
  checkRefreshAnswer(body: Json, refreshToken: string): void;
}

export interface OAuthKit {
  /** The running sandbox (started before all tests, reset before each). */
  readonly sandbox: Sandbox;
  sb(realUrl: string): string;
  newVerifier(): string;
  bearerGet(url: string, token: string | undefined, headers?: Record<string, string>): Promise<Response>;
  authorizeUrl(spec: OAuthSpec, extra?: Record<string, string>, verifier?: string): string;
  authorizeWithAutoApprove(spec: OAuthSpec, verifier: string, extra?: Record<string, string>): Promise<URL>;
  codeFor(spec: OAuthSpec, verifier: string, extra?: Record<string, string>): Promise<string>;
  encode(encoding: 'form' | 'json', params: Record<string, string>): RequestInit;
  tokenRequest(spec: OAuthSpec, grant: Record<string, string>, encoding?: 'form' | 'json'): Promise<{ status: number; body: Json }>;
  exchange(spec: OAuthSpec, code: string, verifier: string): Promise<{ status: number; body: Json }>;
  refresh(spec: OAuthSpec, refreshToken: string): Promise<{ status: number; body: Json }>;
  connect(spec: OAuthSpec): Promise<Json>;
  /** The consent form's action (with the original query) as an absolute sandbox URL. */
  consentAction(spec: OAuthSpec, verifier: string): Promise<string>;
  postForm(url: string, params: Record<string, string>): Promise<Response>;
}

/** Starts a sandbox for the file and returns the helpers that drive it. */
export function oauthKit(): OAuthKit {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const sb = (realUrl: string) => sandboxUrlOf(sandbox.url, realUrl);
  const newVerifier = () => crypto.randomBytes(32).toString('base64url');
  const encode = (encoding: 'form' | 'json', params: Record<string, string>): RequestInit =>
    encoding === 'json'
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }
      : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) };

  const kit: OAuthKit = {
    get sandbox() {
      return sandbox;
    },
    sb,
    newVerifier,
    bearerGet: (url, token, headers = {}) => fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
    authorizeUrl(spec, extra = {}, verifier = newVerifier()) {
      const query = new URLSearchParams({
        client_id: sandboxClient(spec.id).clientId,
        redirect_uri: REDIRECT_URI,
        state: 'state-123',
        code_challenge: codeChallengeS256(verifier),
        code_challenge_method: 'S256',
        ...spec.authorizeParams,
        ...extra,
      });
      return `${sb(spec.authorizeUrl)}?${query}`;
    },
    async authorizeWithAutoApprove(spec, verifier, extra = {}) {
      sandbox.knobs.autoApprove = true;
      const res = await fetch(kit.authorizeUrl(spec, extra, verifier), { redirect: 'manual' });
      expect(res.status).toBe(302);
      return new URL(res.headers.get('location') as string);
    },
    async codeFor(spec, verifier, extra = {}) {
      return (await kit.authorizeWithAutoApprove(spec, verifier, extra)).searchParams.get('code') as string;
    },
    encode,
    async tokenRequest(spec, grant, encoding = spec.encoding) {
      const client = sandboxClient(spec.id);
      const params = { client_id: client.clientId, ...(spec.sendsSecret ? { client_secret: client.clientSecret } : {}), ...grant };
      const res = await fetch(sb(spec.tokenUrl), encode(encoding, params));
      return { status: res.status, body: (await res.json()) as Json };
    },
    exchange: (spec, code, verifier) => kit.tokenRequest(spec, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    refresh: (spec, refreshToken) => kit.tokenRequest(spec, { grant_type: 'refresh_token', refresh_token: refreshToken }),
    async connect(spec) {
      const verifier = newVerifier();
      const answer = await kit.exchange(spec, await kit.codeFor(spec, verifier), verifier);
      expect(answer.status).toBe(200);
      return answer.body;
    },
    async consentAction(spec, verifier) {
      const page = await (await fetch(kit.authorizeUrl(spec, {}, verifier))).text();
      const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] as string;
      return sandbox.url + action.replaceAll('&amp;', '&');
    },
    postForm: (url, params) => fetch(url, { ...encode('form', params), redirect: 'manual' }),
  };
  return kit;
}

/** What every OAuth provider's sandbox must do, in that provider's dialect. */
export function describeOAuthDialect(kit: OAuthKit, spec: OAuthSpec) {
  const { authorizeUrl, authorizeWithAutoApprove, codeFor, connect, consentAction, exchange, newVerifier, postForm, refresh, tokenRequest } = kit;

  describe(`provider sandbox: ${spec.id}`, () => {
    const otherEncoding = spec.encoding === 'json' ? 'form' : 'json';

    it('redirects with a code and the state at once when autoApprove is on', async () => {
      const location = await authorizeWithAutoApprove(spec, newVerifier());
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get('code')).toMatch(new RegExp(`^sbx_code_${spec.id}_`));
      expect(location.searchParams.get('state')).toBe('state-123');
    });

    it('renders a consent page with the Account select, Allow and Deny', async () => {
      const res = await fetch(authorizeUrl(spec));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await res.text();
      expect(page).toContain('(sandbox)</h1>');
      expect(page).toContain('Integration Hub wants to:');
      expect(page).toMatch(/<label for="account">Account<\/label>\s*<select id="account" name="account">/);
      for (const account of ACCOUNTS[spec.id]) expect(page).toContain(`value="${account.id}"`);
      expect(page).toMatch(/value="allow">Allow<\/button>/);
      expect(page).toMatch(/value="deny">Deny<\/button>/);
    });

    it('redirects Deny as error=access_denied with the state', async () => {
      const res = await postForm(await consentAction(spec, newVerifier()), { account: ACCOUNTS[spec.id][0].id, decision: 'deny' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') as string);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        error: 'access_denied',
        error_description: 'The user denied access',
        state: 'state-123',
      });
    });

    it('exchanges an Allow for the chosen account, and the identity endpoint names it', async () => {
      const verifier = newVerifier();
      const second = ACCOUNTS[spec.id][1];
      const res = await postForm(await consentAction(spec, verifier), { account: second.id, decision: 'allow' });
      expect(res.status).toBe(302);
      const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
      const answer = await exchange(spec, code, verifier);
      expect(answer.status).toBe(200);
      expect(await spec.identify(answer.body)).toEqual({ status: 200, accountId: second.id });
    });

    it(`answers the code exchange in its own shape, and refuses a ${otherEncoding} body`, async () => {
      const verifier = newVerifier();
      const code = await codeFor(spec, verifier);
      const wrong = await tokenRequest(spec, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, otherEncoding);
      expect(wrong.status).toBe(400);
      const answer = await exchange(spec, code, verifier);
      expect(answer.status).toBe(200);
      spec.checkCodeAnswer(answer.body);
      expect(await spec.identify(answer.body)).toEqual({ status: 200, accountId: ACCOUNTS[spec.id][0].id });
    });

    it('refuses a wrong PKCE verifier with invalid_grant', async () => {
      const code = await codeFor(spec, newVerifier());
      const answer = await exchange(spec, code, newVerifier());
      expect(answer.status).toBe(spec.badVerifierStatus ?? 400);
      expect(answer.body.error).toBe('invalid_grant');
    });

    it('refuses a code used twice, and revokes the tokens it bought', async () => {
      const verifier = newVerifier();
      const code = await codeFor(spec, verifier);
      const first = await exchange(spec, code, verifier);
      expect(first.status).toBe(200);
      const second = await exchange(spec, code, verifier);
      expect(second.body.error).toBe('invalid_grant');
      expect((await spec.identify(first.body)).status).toBe(spec.unauthenticatedStatus);
      expect((await refresh(spec, first.body.refresh_token as string)).body.error).toBe('invalid_grant');
    });

    it('refreshes in its own shape', async () => {
      const tokens = await connect(spec);
      const rt = tokens.refresh_token as string;
      const answer = await refresh(spec, rt);
      expect(answer.status).toBe(200);
      expect(answer.body.access_token).not.toBe(tokens.access_token);
      spec.checkRefreshAnswer(answer.body, rt);
      expect((await spec.identify(answer.body)).status).toBe(200);
      const again = await refresh(spec, rt);
      if (spec.rotates) {
        // A rotating provider: the old refresh token died with the refresh.
        expect(again.status).toBe(spec.rotatedRefreshStatus ?? 401);
        expect(again.body.error).toBe('invalid_grant');
        expect((await refresh(spec, answer.body.refresh_token as string)).status).toBe(200);
      } else {
        expect(again.status).toBe(200);
      }
    });

    it('refuses the identity endpoint without a valid token', async () => {
      const extras = spec.tokenExtras?.() ?? {};
      expect((await spec.identify({ access_token: '', ...extras })).status).toBe(spec.unauthenticatedStatus);
      const forged = `sbx_at_${spec.id}_forged`;
      expect((await spec.identify({ access_token: forged, ...extras })).status).toBe(spec.unauthenticatedStatus);
    });

    it('fails the next token request once when failNextToken is set', async () => {
      const tokens = await connect(spec);
      kit.sandbox.knobs.failNextToken = { [spec.id]: 'temporarily_unavailable' };
      expect((await refresh(spec, tokens.refresh_token as string)).status).toBe(503);
      expect((await refresh(spec, tokens.refresh_token as string)).status).toBe(200);
      kit.sandbox.setKnobs({ failNextToken: { [spec.id]: 'invalid_grant' } });
      const failed = await refresh(spec, tokens.refresh_token as string);
      expect(failed.body.error).toBe('invalid_grant');
    });

    it('counts token, identity and revocation requests', async () => {
      const tokens = await connect(spec);
      await refresh(spec, tokens.refresh_token as string);
      await spec.identify(tokens);
      const stats = kit.sandbox.stats();
      expect(stats.tokenRequests[spec.id]).toEqual({ authorization_code: 1, refresh_token: 1 });
      expect(stats.identityRequests[spec.id]).toBe(1);
      const others = PROVIDERS.filter((p) => p.auth.kind === 'oauth2' && p.id !== spec.id).map((p) => p.id as ProviderId);
      for (const other of others) expect(stats.tokenRequests[other]).toEqual({ authorization_code: 0, refresh_token: 0 });
    });

    it('refuses a wrong client secret or client id with invalid_client', async () => {
      const verifier = newVerifier();
      const code = await codeFor(spec, verifier);
      const answer = await tokenRequest(spec, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: 'someone-else',
        ...(spec.sendsSecret ? { client_secret: 'wrong' } : {}),
      });
      expect(answer.status).toBe(spec.invalidClientStatus ?? 401);
      expect(answer.body.error).toBe('invalid_client');
    });

    it('shows an error page (400, no redirect) for an unknown client or a missing state', async () => {
      for (const url of [authorizeUrl(spec, { client_id: 'nope' }), authorizeUrl(spec, { state: '' })]) {
        const res = await fetch(url, { redirect: 'manual' });
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect(await res.text()).toContain('Authorization request refused');
      }
    });

    it('expires access tokens after accessTokenTtlSeconds', async () => {
      kit.sandbox.setKnobs({ accessTokenTtlSeconds: 0 });
      const tokens = await connect(spec);
      expect((await spec.identify(tokens)).status).toBe(spec.unauthenticatedStatus);
    });

    it('forces the identity status with identityStatus', async () => {
      const tokens = await connect(spec);
      kit.sandbox.setKnobs({ identityStatus: { [spec.id]: 500 } });
      expect((await spec.identityResponse(tokens)).status).toBe(500);
    });
  });
}
