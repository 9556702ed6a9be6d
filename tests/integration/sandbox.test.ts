// The provider sandbox plays each provider's OAuth dialect: these tests drive it with plain fetch,
// as the app would, and pin the behaviours the app relies on.
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, codeChallengeS256, sandboxClient, sandboxUrlOf, startSandbox, type ProviderId, type Sandbox } from '../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const REDIRECT_URI = 'http://localhost:3000/api/oauth/callback';
const SQUARE_VERSION = '2025-10-16';
type Json = Record<string, unknown>;

const sb = (realUrl: string) => sandboxUrlOf(sandbox.url, realUrl);
const newVerifier = () => crypto.randomBytes(32).toString('base64url');

interface Spec {
  id: ProviderId;
  authorizeUrl: string;
  tokenUrl: string;
  encoding: 'form' | 'json';
  sendsSecret: boolean;
  authorizeParams: Record<string, string>;
  /** Calls the identity endpoint with the token answer; returns the status and the account id it names. */
  identify(tokens: Json): Promise<{ status: number; accountId?: string }>;
  /** Status of the identity endpoint called with no (or no valid) token. */
  unauthenticatedStatus: number;
  checkCodeAnswer(body: Json): void;
  checkRefreshAnswer(body: Json, refreshToken: string): void;
}

async function bearerGet(url: string, token: string | undefined, headers: Record<string, string> = {}) {
  return fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
}

async function hubspotIntrospect(token: string) {
  const client = sandboxClient('hubspot');
  return fetch(sb('https://api.hubapi.com/oauth/2026-03/token/introspect'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, token, token_type_hint: 'access_token' }),
  });
}

const SPECS: Spec[] = [
  {
    id: 'google-calendar',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    encoding: 'form',
    sendsSecret: true,
    authorizeParams: {
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/calendar.readonly',
      access_type: 'offline',
      prompt: 'consent',
    },
    async identify(tokens) {
      const res = await bearerGet(sb('https://www.googleapis.com/calendar/v3/users/me/calendarList/primary'), tokens.access_token as string);
      const body = (await res.json()) as Json;
      if (res.ok) expect(body).toMatchObject({ kind: 'calendar#calendarListEntry', timeZone: 'Europe/London', accessRole: 'owner', primary: true });
      return { status: res.status, accountId: body.id as string | undefined };
    },
    unauthenticatedStatus: 401,
    checkCodeAnswer(body) {
      expect(body).toEqual({
        access_token: expect.stringMatching(/^sbx_at_google-calendar_/),
        expires_in: 3599,
        refresh_token: expect.stringMatching(/^sbx_rt_google-calendar_/),
        scope: 'https://www.googleapis.com/auth/calendar.readonly',
        token_type: 'Bearer',
      });
    },
    checkRefreshAnswer(body) {
      expect(body).not.toHaveProperty('refresh_token');
      expect(body).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    },
  },
  {
    id: 'salesforce',
    authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    encoding: 'form',
    sendsSecret: true,
    authorizeParams: { response_type: 'code', scope: 'api refresh_token' },
    async identify(tokens) {
      const res = await bearerGet(`${tokens.instance_url as string}/services/oauth2/userinfo`, tokens.access_token as string);
      if (!res.ok) return { status: res.status };
      const body = (await res.json()) as Json;
      expect(body.sub).toBe(`https://login.salesforce.com/id/${body.organization_id}/${body.user_id}`);
      return { status: res.status, accountId: body.organization_id as string };
    },
    unauthenticatedStatus: 403,
    checkCodeAnswer(body) {
      expect(body).toEqual({
        access_token: expect.stringMatching(/^sbx_at_salesforce_/),
        refresh_token: expect.stringMatching(/^sbx_rt_salesforce_/),
        signature: expect.any(String),
        scope: 'api refresh_token',
        instance_url: `${sandbox.url}/acme-sandbox.my.salesforce.com`,
        id: 'https://login.salesforce.com/id/00DSBX0000000001/005SBX0000000001',
        token_type: 'Bearer',
        issued_at: expect.stringMatching(/^\d{13}$/),
      });
      const expected = crypto
        .createHmac('sha256', sandboxClient('salesforce').clientSecret)
        .update(`${body.id}${body.issued_at}`)
        .digest('base64');
      expect(body.signature).toBe(expected);
    },
    checkRefreshAnswer(body) {
      expect(body).not.toHaveProperty('refresh_token');
      expect(body).not.toHaveProperty('expires_in');
      expect(body.instance_url).toBe(`${sandbox.url}/acme-sandbox.my.salesforce.com`);
    },
  },
  {
    id: 'hubspot',
    authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
    tokenUrl: 'https://api.hubapi.com/oauth/2026-03/token',
    encoding: 'form',
    sendsSecret: true,
    authorizeParams: { scope: 'oauth crm.objects.contacts.read' },
    async identify(tokens) {
      const res = await hubspotIntrospect(tokens.access_token as string);
      const body = (await res.json()) as Json;
      if (!body.active) return { status: 401 };
      expect(body).toMatchObject({ token_use: 'access_token', client_id: 'sandbox-hubspot', app_id: 990001, token_type: 'bearer' });
      return { status: res.status, accountId: String(body.hub_id) };
    },
    unauthenticatedStatus: 401,
    checkCodeAnswer(body) {
      expect(body).toMatchObject({
        access_token: expect.stringMatching(/^sbx_at_hubspot_/),
        refresh_token: expect.stringMatching(/^sbx_rt_hubspot_/),
        expires_in: 1800,
        token_type: 'bearer',
      });
    },
    checkRefreshAnswer(body, refreshToken) {
      expect(body.refresh_token).toBe(refreshToken);
      expect(body.expires_in).toBe(1800);
    },
  },
  {
    id: 'square',
    authorizeUrl: 'https://connect.squareup.com/oauth2/authorize',
    tokenUrl: 'https://connect.squareup.com/oauth2/token',
    encoding: 'json',
    sendsSecret: false,
    authorizeParams: { scope: 'MERCHANT_PROFILE_READ CUSTOMERS_READ', session: 'false' },
    async identify(tokens) {
      const res = await bearerGet(sb('https://connect.squareup.com/v2/merchants/me'), tokens.access_token as string, {
        'Square-Version': SQUARE_VERSION,
      });
      const body = (await res.json()) as { merchant?: Json };
      if (res.ok) expect(body.merchant).toMatchObject({ country: 'GB', language_code: 'en-GB', currency: 'GBP', status: 'ACTIVE' });
      return { status: res.status, accountId: body.merchant?.id as string | undefined };
    },
    unauthenticatedStatus: 401,
    checkCodeAnswer(body) {
      expect(body).toEqual({
        access_token: expect.stringMatching(/^sbx_at_square_/),
        token_type: 'bearer',
        expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        merchant_id: 'MLSBX0000000001',
        refresh_token: expect.stringMatching(/^sbx_rt_square_/),
        short_lived: false,
        refresh_token_expires_at: expect.any(String),
      });
      const days = (Date.parse(body.expires_at as string) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
    },
    checkRefreshAnswer(body, refreshToken) {
      expect(body.refresh_token).toMatch(/^sbx_rt_square_/);
      expect(body.refresh_token).not.toBe(refreshToken);
    },
  },
  {
    id: 'fresha',
    authorizeUrl: 'https://connect.fresha.com/oauth/authorize',
    tokenUrl: 'https://connect.fresha.com/oauth/token',
    encoding: 'form',
    sendsSecret: true,
    authorizeParams: { response_type: 'code', scope: 'clients:read appointments:read' },
    async identify(tokens) {
      const res = await bearerGet(sb('https://api.fresha.com/v2/me'), tokens.access_token as string);
      const body = (await res.json()) as { business?: Json };
      if (res.ok) expect(body.business).toMatchObject({ country: 'GB', timezone: 'Europe/London' });
      return { status: res.status, accountId: body.business?.id as string | undefined };
    },
    unauthenticatedStatus: 401,
    checkCodeAnswer(body) {
      expect(body).toEqual({
        access_token: expect.stringMatching(/^sbx_at_fresha_/),
        refresh_token: expect.stringMatching(/^sbx_rt_fresha_/),
        expires_in: 3600,
        token_type: 'Bearer',
      });
    },
    checkRefreshAnswer(body, refreshToken) {
      expect(body.refresh_token).toBe(refreshToken);
    },
  },
];

function authorizeUrl(spec: Spec, extra: Record<string, string> = {}, verifier = newVerifier()): string {
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
}

async function authorizeWithAutoApprove(spec: Spec, verifier: string, extra: Record<string, string> = {}): Promise<URL> {
  sandbox.knobs.autoApprove = true;
  const res = await fetch(authorizeUrl(spec, extra, verifier), { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

async function codeFor(spec: Spec, verifier: string, extra: Record<string, string> = {}): Promise<string> {
  return (await authorizeWithAutoApprove(spec, verifier, extra)).searchParams.get('code') as string;
}

function encode(encoding: 'form' | 'json', params: Record<string, string>): RequestInit {
  return encoding === 'json'
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }
    : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) };
}

async function tokenRequest(spec: Spec, grant: Record<string, string>, encoding = spec.encoding) {
  const client = sandboxClient(spec.id);
  const params = { client_id: client.clientId, ...(spec.sendsSecret ? { client_secret: client.clientSecret } : {}), ...grant };
  const res = await fetch(sb(spec.tokenUrl), encode(encoding, params));
  return { status: res.status, body: (await res.json()) as Json };
}

const exchange = (spec: Spec, code: string, verifier: string) =>
  tokenRequest(spec, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
const refresh = (spec: Spec, refreshToken: string) => tokenRequest(spec, { grant_type: 'refresh_token', refresh_token: refreshToken });

async function connect(spec: Spec): Promise<Json> {
  const verifier = newVerifier();
  const answer = await exchange(spec, await codeFor(spec, verifier), verifier);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** The consent form's action (with the original query) as an absolute sandbox URL. */
async function consentAction(spec: Spec, verifier: string): Promise<string> {
  const page = await (await fetch(authorizeUrl(spec, {}, verifier))).text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] as string;
  return sandbox.url + action.replaceAll('&amp;', '&');
}

const postForm = (url: string, params: Record<string, string>) =>
  fetch(url, { ...encode('form', params), redirect: 'manual' });

describe.each(SPECS)('provider sandbox: $id', (spec) => {
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
    expect(answer.status).toBe(spec.id === 'square' ? 401 : 400);
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
    if (spec.id === 'square') {
      // Square's PKCE flow: the old refresh token died with the refresh.
      expect(again.status).toBe(401);
      expect(again.body.error).toBe('invalid_grant');
      expect((await refresh(spec, answer.body.refresh_token as string)).status).toBe(200);
    } else {
      expect(again.status).toBe(200);
    }
  });

  it('refuses the identity endpoint without a valid token', async () => {
    expect((await spec.identify({ access_token: '', instance_url: `${sandbox.url}/acme-sandbox.my.salesforce.com` })).status).toBe(
      spec.unauthenticatedStatus,
    );
    const forged = `sbx_at_${spec.id}_forged`;
    expect((await spec.identify({ access_token: forged, instance_url: `${sandbox.url}/acme-sandbox.my.salesforce.com` })).status).toBe(
      spec.unauthenticatedStatus,
    );
  });

  it('fails the next token request once when failNextToken is set', async () => {
    const tokens = await connect(spec);
    sandbox.knobs.failNextToken = { [spec.id]: 'temporarily_unavailable' };
    expect((await refresh(spec, tokens.refresh_token as string)).status).toBe(503);
    expect((await refresh(spec, tokens.refresh_token as string)).status).toBe(200);
    sandbox.setKnobs({ failNextToken: { [spec.id]: 'invalid_grant' } });
    const failed = await refresh(spec, tokens.refresh_token as string);
    expect(failed.body.error).toBe('invalid_grant');
  });

  it('counts token, identity and revocation requests', async () => {
    const tokens = await connect(spec);
    await refresh(spec, tokens.refresh_token as string);
    await spec.identify(tokens);
    const stats = sandbox.stats();
    expect(stats.tokenRequests[spec.id]).toEqual({ authorization_code: 1, refresh_token: 1 });
    expect(stats.identityRequests[spec.id]).toBe(1);
    const others = SPECS.filter((s) => s.id !== spec.id);
    for (const other of others) expect(stats.tokenRequests[other.id]).toEqual({ authorization_code: 0, refresh_token: 0 });
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
    expect(answer.status).toBe(spec.id === 'hubspot' ? 400 : 401);
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
    sandbox.setKnobs({ accessTokenTtlSeconds: 0 });
    const tokens = await connect(spec);
    expect((await spec.identify(tokens)).status).toBe(spec.unauthenticatedStatus);
  });

  it('forces the identity status with identityStatus', async () => {
    const tokens = await connect(spec);
    sandbox.setKnobs({ identityStatus: { [spec.id]: 500 } });
    const res =
      spec.id === 'hubspot'
        ? await hubspotIntrospect(tokens.access_token as string)
        : await bearerGet(
            spec.id === 'salesforce'
              ? `${tokens.instance_url as string}/services/oauth2/userinfo`
              : sb(
                  {
                    'google-calendar': 'https://www.googleapis.com/calendar/v3/users/me/calendarList/primary',
                    square: 'https://connect.squareup.com/v2/merchants/me',
                    fresha: 'https://api.fresha.com/v2/me',
                  }[spec.id as 'google-calendar' | 'square' | 'fresha'],
                ),
            tokens.access_token as string,
            { 'Square-Version': SQUARE_VERSION },
          );
    expect(res.status).toBe(500);
  });
});

describe('provider sandbox: provider specifics', () => {
  const spec = (id: ProviderId) => SPECS.find((s) => s.id === id) as Spec;

  it('Google: no refresh token without access_type=offline, nor on a repeat consent without prompt=consent', async () => {
    const google = spec('google-calendar');
    const online = newVerifier();
    const first = await exchange(google, await codeFor(google, online, { access_type: 'online' }), online);
    expect(first.body).not.toHaveProperty('refresh_token');
    const repeat = newVerifier();
    const second = await exchange(google, await codeFor(google, repeat, { prompt: '' }), repeat);
    expect(second.body).not.toHaveProperty('refresh_token');
  });

  it('Google: revoking the access token revokes its refresh token; an unknown token is invalid_token', async () => {
    const google = spec('google-calendar');
    const tokens = await connect(google);
    const revoke = (token: string) => fetch(sb('https://oauth2.googleapis.com/revoke'), encode('form', { token }));
    const res = await revoke(tokens.access_token as string);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await refresh(google, tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    const again = await revoke(tokens.access_token as string);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_token', error_description: 'Token expired or revoked' });
    expect(sandbox.stats().revocations['google-calendar']).toBe(2);
  });

  it('Salesforce: a token is refused on the other org’s instance host, with 403 Bad_OAuth_Token', async () => {
    const tokens = await connect(spec('salesforce'));
    const res = await bearerGet(`${sandbox.url}/globex-sandbox.my.salesforce.com/services/oauth2/userinfo`, tokens.access_token as string);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Bad_OAuth_Token');
  });

  it('Salesforce: instance_url follows the Host the caller used', async () => {
    const salesforce = spec('salesforce');
    const verifier = newVerifier();
    const code = await codeFor(salesforce, verifier);
    const localhost = sandbox.url.replace('127.0.0.1', 'localhost');
    const client = sandboxClient('salesforce');
    const res = await fetch(
      `${localhost}/login.salesforce.com/services/oauth2/token`,
      encode('form', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret }),
    );
    expect(((await res.json()) as Json).instance_url).toBe(`${localhost}/acme-sandbox.my.salesforce.com`);
  });

  it('Salesforce: no refresh token without the refresh_token scope; rotation only when the knob says so', async () => {
    const salesforce = spec('salesforce');
    const verifier = newVerifier();
    const apiOnly = await exchange(salesforce, await codeFor(salesforce, verifier, { scope: 'api' }), verifier);
    expect(apiOnly.body).not.toHaveProperty('refresh_token');

    sandbox.setKnobs({ rotateRefreshTokens: { salesforce: true } });
    const tokens = await connect(salesforce);
    const rotated = await refresh(salesforce, tokens.refresh_token as string);
    expect(rotated.body.refresh_token).toMatch(/^sbx_rt_salesforce_/);
    expect((await refresh(salesforce, tokens.refresh_token as string)).body.error).toBe('invalid_grant');
  });

  it('Salesforce: revoking the refresh token ends its sessions', async () => {
    const salesforce = spec('salesforce');
    const tokens = await connect(salesforce);
    const res = await fetch(sb('https://login.salesforce.com/services/oauth2/revoke'), encode('form', { token: tokens.refresh_token as string }));
    expect(res.status).toBe(200);
    expect((await salesforce.identify(tokens)).status).toBe(403);
  });

  it('HubSpot: introspection reports unknown tokens inactive and refuses a wrong client with BAD_CLIENT_ID', async () => {
    expect(await (await hubspotIntrospect('sbx_at_hubspot_unknown')).json()).toEqual({ active: false });
    const res = await fetch(sb('https://api.hubapi.com/oauth/2026-03/token/introspect'), encode('form', { client_id: 'sandbox-hubspot', client_secret: 'no', token: 'x' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'BAD_CLIENT_ID', category: 'VALIDATION_ERROR', error: 'invalid_client', correlationId: expect.any(String) });
  });

  it('HubSpot: a bad refresh token is BAD_REFRESH_TOKEN; revoking the refresh token kills it', async () => {
    const hubspot = spec('hubspot');
    const bad = await refresh(hubspot, 'sbx_rt_hubspot_nope');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN', error: 'invalid_grant', message: expect.any(String) });
    const tokens = await connect(hubspot);
    const client = sandboxClient('hubspot');
    const res = await fetch(
      sb('https://api.hubapi.com/oauth/2026-03/token/revoke'),
      encode('form', { client_id: client.clientId, client_secret: client.clientSecret, token: tokens.refresh_token as string, token_type_hint: 'refresh_token' }),
    );
    expect(res.status).toBe(200);
    expect((await refresh(hubspot, tokens.refresh_token as string)).body.status).toBe('BAD_REFRESH_TOKEN');
  });

  it('Square: PKCE is required at authorize; code_challenge_method may be left out (S256 implied)', async () => {
    const square = spec('square');
    const noPkce = new URL(authorizeUrl(square));
    noPkce.searchParams.delete('code_challenge');
    noPkce.searchParams.delete('code_challenge_method');
    expect((await fetch(noPkce, { redirect: 'manual' })).status).toBe(400);
    const verifier = newVerifier();
    const implied = new URL(authorizeUrl(square, {}, verifier));
    implied.searchParams.delete('code_challenge_method');
    sandbox.knobs.autoApprove = true;
    const res = await fetch(implied, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
    expect((await exchange(square, code, verifier)).status).toBe(200);
  });

  it('Square: a form body is refused; errors carry the Square envelope and the OAuth error', async () => {
    const square = spec('square');
    const wrong = await tokenRequest(square, { grant_type: 'refresh_token', refresh_token: 'x' }, 'form');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ errors: [{ category: 'INVALID_REQUEST_ERROR' }], error: 'invalid_request' });
    const bad = await refresh(square, 'sbx_rt_square_nope');
    expect(bad.body).toMatchObject({ errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }], error: 'invalid_grant' });
  });

  it('Square: /v2 calls need Square-Version; expired tokens say ACCESS_TOKEN_EXPIRED', async () => {
    const tokens = await connect(spec('square'));
    const noVersion = await bearerGet(sb('https://connect.squareup.com/v2/merchants/me'), tokens.access_token as string);
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ errors: [{ category: 'INVALID_REQUEST_ERROR', field: 'Square-Version' }] });
    sandbox.setKnobs({ accessTokenTtlSeconds: 0 });
    const expired = await connect(spec('square'));
    const res = await bearerGet(sb('https://connect.squareup.com/v2/merchants/me'), expired.access_token as string, { 'Square-Version': SQUARE_VERSION });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errors: [{ category: 'AUTHENTICATION_ERROR', code: 'ACCESS_TOKEN_EXPIRED' }] });
  });

  it('Square: revocation needs `Authorization: Client <secret>` and revokes the seller’s tokens', async () => {
    const square = spec('square');
    const tokens = await connect(square);
    const client = sandboxClient('square');
    const revoke = (authorization?: string) =>
      fetch(sb('https://connect.squareup.com/oauth2/revoke'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ client_id: client.clientId, access_token: tokens.access_token }),
      });
    expect((await revoke()).status).toBe(401);
    expect((await revoke('Client wrong')).status).toBe(401);
    const res = await revoke(`Client ${client.clientSecret}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect((await square.identify(tokens)).status).toBe(401);
    expect((await refresh(square, tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    expect(sandbox.stats().revocations.square).toBe(3);
  });

  it('Fresha: revoking the refresh token ends the grant', async () => {
    const fresha = spec('fresha');
    const tokens = await connect(fresha);
    const res = await fetch(sb('https://connect.fresha.com/oauth/revoke'), encode('form', { token: tokens.refresh_token as string }));
    expect(res.status).toBe(200);
    expect((await fresha.identify(tokens)).status).toBe(401);
  });

  it('delays token responses by tokenDelayMs', async () => {
    const fresha = spec('fresha');
    const tokens = await connect(fresha);
    sandbox.setKnobs({ tokenDelayMs: 300 });
    const started = Date.now();
    await refresh(fresha, tokens.refresh_token as string);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('provider sandbox: control API', () => {
  it('answers health, merges knobs, reports stats and resets', async () => {
    expect(await (await fetch(`${sandbox.url}/_sandbox/health`)).json()).toEqual({ ok: true });
    const post = (path: string, body?: unknown) =>
      fetch(`${sandbox.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });

    await post('knobs', { autoApprove: true, rotateRefreshTokens: { salesforce: true } });
    const merged = await post('knobs', { rotateRefreshTokens: { hubspot: true }, identityStatus: { square: 503 } });
    expect(await merged.json()).toEqual({
      autoApprove: true,
      rotateRefreshTokens: { salesforce: true, hubspot: true },
      identityStatus: { square: 503 },
    });
    expect(sandbox.knobs.autoApprove).toBe(true);
    expect((await post('knobs', { autoApprove: 'yes' })).status).toBe(400);
    expect((await post('knobs', { identityStatus: { square: null } })).status).toBe(200);
    expect(sandbox.knobs.identityStatus).toEqual({});

    await connect(SPECS[0]);
    const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { tokenRequests: Record<string, Json> };
    expect(stats.tokenRequests['google-calendar']).toEqual({ authorization_code: 1, refresh_token: 0 });

    expect((await post('reset')).status).toBe(200);
    expect(sandbox.knobs).toEqual({});
    expect(sandbox.stats().tokenRequests['google-calendar'].authorization_code).toBe(0);
  });

  it('answers 404 for a host or path it does not play', async () => {
    const res = await fetch(sb('https://api.example.com/v1/anything'));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'sandbox_no_route' });
  });
});
