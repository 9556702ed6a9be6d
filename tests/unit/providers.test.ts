// Each provider's authorize URL, token request and token response, in that provider's dialect.
import { afterEach, describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '@/lib/oauth/authorize-url';
import { buildTokenRequest, oauthSettings } from '@/lib/oauth/token-endpoint';
import type { ClientCredentials } from '@/lib/providers/credentials';
import { sandboxBaseUrl, toRealUrl, toSandboxUrl } from '@/lib/providers/environment';
import { findProvider, providers } from '@/lib/providers/registry';
import { checkedInstanceUrl, isSalesforceHost } from '@/lib/providers/salesforce';

const live: ClientCredentials = { clientId: 'client-123', clientSecret: 'secret-456', environment: 'live' };
const now = new Date('2026-11-22T12:00:00.000Z');
const provider = (id: string) => findProvider(id)!;
const handshake = { state: 'state-abc', redirectUri: 'https://hub.example/api/oauth/x/callback', codeChallenge: 'challenge-xyz' };

function authorizeParams(id: string) {
  const url = new URL(buildAuthorizeUrl(provider(id), live, handshake));
  return { origin: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams) };
}

afterEach(() => {
  delete process.env.PROVIDER_SANDBOX_URL;
});

describe('registry', () => {
  it('lists the five providers, each with unique id, resources and a category', () => {
    expect(providers.map((p) => p.id)).toEqual(['google-calendar', 'salesforce', 'hubspot', 'square', 'fresha', 'mindbody']);
    for (const p of providers) {
      expect(p.resources.length).toBeGreaterThan(0);
      expect(['Calendar', 'CRM', 'Booking', 'Email', 'Developer']).toContain(p.category);
    }
    expect(provider('fresha').unverified).toMatch(/unverified/);
  });
});

describe('authorize URLs', () => {
  it('Google: offline access with forced consent, PKCE S256, calendar scope', () => {
    const { origin, params } = authorizeParams('google-calendar');
    expect(origin).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'client-123',
      redirect_uri: handshake.redirectUri,
      state: 'state-abc',
      code_challenge: 'challenge-xyz',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      scope: 'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events',
    });
  });

  it('Salesforce, HubSpot, Square and Fresha: their own hosts and scopes', () => {
    expect(authorizeParams('salesforce')).toMatchObject({
      origin: 'https://login.salesforce.com/services/oauth2/authorize',
      params: { scope: 'api refresh_token', code_challenge_method: 'S256' },
    });
    expect(authorizeParams('hubspot')).toMatchObject({
      origin: 'https://app.hubspot.com/oauth/authorize',
      params: { scope: 'oauth crm.objects.contacts.read crm.objects.deals.read' },
    });
    expect(authorizeParams('square')).toMatchObject({
      origin: 'https://connect.squareup.com/oauth2/authorize',
      params: { session: 'false', code_challenge: 'challenge-xyz' },
    });
    expect(authorizeParams('fresha').origin).toBe('https://connect.fresha.com/oauth/authorize');
  });

  it('goes to the sandbox with the sandbox client when the connection is a sandbox one', () => {
    process.env.PROVIDER_SANDBOX_URL = 'http://127.0.0.1:4010/';
    const url = buildAuthorizeUrl(provider('hubspot'), { ...live, clientId: 'sandbox-hubspot', environment: 'sandbox' }, handshake);
    expect(url.startsWith('http://127.0.0.1:4010/app.hubspot.com/oauth/authorize?')).toBe(true);
  });
});

describe('token requests', () => {
  const grant = { grant_type: 'authorization_code', code: 'code-1', redirect_uri: handshake.redirectUri, code_verifier: 'verifier-1' };

  it('form-encodes with the client secret in the body for Google, Salesforce, HubSpot and Fresha', () => {
    for (const id of ['google-calendar', 'salesforce', 'hubspot', 'fresha']) {
      const request = buildTokenRequest(provider(id), live, grant);
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ client_id: 'client-123', client_secret: 'secret-456', ...grant });
    }
    expect(buildTokenRequest(provider('hubspot'), live, grant).url).toBe('https://api.hubapi.com/oauth/2026-03/token');
    expect(buildTokenRequest(provider('google-calendar'), live, grant).url).toBe('https://oauth2.googleapis.com/token');
  });

  it('sends Square JSON without the client secret (PKCE flow)', () => {
    const request = buildTokenRequest(provider('square'), live, grant);
    expect(request.url).toBe('https://connect.squareup.com/oauth2/token');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ client_id: 'client-123', ...grant });
  });
});

describe('token responses', () => {
  const parse = (id: string, body: unknown, previous?: Parameters<ReturnType<typeof oauthSettings>['parseTokenResponse']>[2]) =>
    oauthSettings(provider(id)).parseTokenResponse(body, now, previous);

  it('Google: expiry from expires_in; a refresh answer keeps the old refresh token', () => {
    const first = parse('google-calendar', { access_token: 'a1', refresh_token: 'r1', expires_in: 3599, scope: 's1 s2', token_type: 'Bearer' });
    expect(first).toEqual({ accessToken: 'a1', refreshToken: 'r1', expiresAt: '2026-11-22T12:59:59.000Z', scopes: ['s1', 's2'], extra: undefined });
    const refreshed = parse('google-calendar', { access_token: 'a2', expires_in: 3599, token_type: 'Bearer' }, first);
    expect(refreshed.refreshToken).toBe('r1');
    expect(refreshed.accessToken).toBe('a2');
  });

  it('Salesforce: instance_url kept, no expiry', () => {
    const tokens = parse('salesforce', {
      access_token: 'a',
      refresh_token: 'r',
      instance_url: 'https://acme.my.salesforce.com',
      id: 'https://login.salesforce.com/id/00D/005',
      issued_at: '1795000000000',
      signature: 'sig',
    });
    expect(tokens.expiresAt).toBeUndefined();
    expect(tokens.extra).toEqual({ instanceUrl: 'https://acme.my.salesforce.com', identityUrl: 'https://login.salesforce.com/id/00D/005' });
  });

  it('Square: expires_at is an ISO string; merchant id kept; rotation replaces the refresh token', () => {
    const tokens = parse('square', { access_token: 'a', refresh_token: 'r2', expires_at: '2026-12-22T12:00:00Z', merchant_id: 'M1', token_type: 'bearer' });
    expect(tokens).toMatchObject({ expiresAt: '2026-12-22T12:00:00.000Z', refreshToken: 'r2', extra: { merchantId: 'M1' } });
    expect(oauthSettings(provider('square')).refreshTokenRotates).toBe(true);
  });

  it('HubSpot: 30-minute tokens', () => {
    expect(parse('hubspot', { access_token: 'a', refresh_token: 'r', expires_in: 1800 }).expiresAt).toBe('2026-11-22T12:30:00.000Z');
  });

  it('rejects answers without an access token', () => {
    for (const p of providers.filter((p) => p.auth.kind === 'oauth2')) {
      expect(() => parse(p.id, { token_type: 'bearer' }), p.id).toThrow(/access_token/);
    }
  });
});

describe('Salesforce instance_url', () => {
  it('accepts only Salesforce hosts', () => {
    expect(isSalesforceHost('acme.my.salesforce.com')).toBe(true);
    expect(isSalesforceHost('na1.salesforce.com')).toBe(true);
    for (const host of ['salesforce.com.evil.example', 'evil.example', 'mysalesforce.com', '169.254.169.254', 'localhost']) {
      expect(isSalesforceHost(host), host).toBe(false);
    }
    expect(checkedInstanceUrl('https://acme.my.salesforce.com', 'live')).toBe('https://acme.my.salesforce.com');
    expect(() => checkedInstanceUrl('https://evil.example', 'live')).toThrow(/outside Salesforce/);
    expect(() => checkedInstanceUrl('http://acme.my.salesforce.com', 'live')).toThrow(/outside Salesforce/);
  });

  it("accepts Salesforce's login, My Domain and instance API hosts in every current format", () => {
    for (const host of [
      'login.salesforce.com',
      'test.salesforce.com',
      'acme.my.salesforce.com',
      'ACME.My.Salesforce.com',
      'acme--uat.sandbox.my.salesforce.com',
      'acme-dev-ed.develop.my.salesforce.com',
      'acme-1a2b3c-dev-ed.scratch.my.salesforce.com',
      'acme-demo.demo.my.salesforce.com',
      'acme.trailblaze.my.salesforce.com',
      'acme--uat.cs42.my.salesforce.com',
      'na1.salesforce.com',
      'cs42.salesforce.com',
      'usa2s.salesforce.com',
    ]) {
      expect(isSalesforceHost(host), host).toBe(true);
    }
    expect(checkedInstanceUrl('https://acme--uat.sandbox.my.salesforce.com/', 'live')).toBe('https://acme--uat.sandbox.my.salesforce.com');
  });

  it('refuses hosts that serve customer content (Sites, Experience Cloud, Visualforce, Lightning) and other Salesforce hosts', () => {
    for (const host of [
      'acme.lightning.force.com',
      'acme.my.salesforce-sites.com',
      'acme.salesforce-sites.com',
      'acme.force.com',
      'acme.secure.force.com',
      'acme--c.vf.force.com',
      'acme.my.site.com',
      'acme.cloudforce.com',
      'help.salesforce.com',
      'trailhead.salesforce.com',
      'my.salesforce.com',
      'acme.my.salesforce.com.evil.example',
      '-acme.my.salesforce.com',
    ]) {
      expect(isSalesforceHost(host), host).toBe(false);
    }
    for (const url of ['https://acme.lightning.force.com', 'https://acme.my.site.com', 'https://acme.my.salesforce.com:8443', 'https://user@acme.my.salesforce.com']) {
      expect(() => checkedInstanceUrl(url, 'live'), url).toThrow(/outside Salesforce/);
    }
  });

  it('unwraps sandbox instance URLs before checking them', () => {
    process.env.PROVIDER_SANDBOX_URL = 'http://127.0.0.1:4010';
    expect(checkedInstanceUrl('http://127.0.0.1:4010/acme.my.salesforce.com', 'sandbox')).toBe('https://acme.my.salesforce.com');
    expect(() => checkedInstanceUrl('http://127.0.0.1:4010/evil.example', 'sandbox')).toThrow(/outside Salesforce/);
  });
});

describe('sandbox override', () => {
  it('maps real URLs onto the sandbox and back', () => {
    process.env.PROVIDER_SANDBOX_URL = 'http://127.0.0.1:4010';
    expect(toSandboxUrl('https://api.hubapi.com/oauth/2026-03/token?x=1')).toBe('http://127.0.0.1:4010/api.hubapi.com/oauth/2026-03/token?x=1');
    expect(toRealUrl('http://127.0.0.1:4010/api.hubapi.com/crm/v3', 'sandbox')).toBe('https://api.hubapi.com/crm/v3');
  });

  it('is refused in production unless explicitly allowed for a test build', () => {
    const env = process.env as Record<string, string | undefined>;
    const original = env.NODE_ENV;
    try {
      process.env.PROVIDER_SANDBOX_URL = 'http://127.0.0.1:4010';
      env.NODE_ENV = 'production';
      expect(sandboxBaseUrl()).toBeNull();
      env.PROVIDER_SANDBOX_ALLOW_PRODUCTION = '1';
      expect(sandboxBaseUrl()).toBe('http://127.0.0.1:4010');
    } finally {
      env.NODE_ENV = original;
      delete env.PROVIDER_SANDBOX_ALLOW_PRODUCTION;
    }
  });
});
