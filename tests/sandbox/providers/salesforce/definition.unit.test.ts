// Salesforce's OAuth dialect: its authorize URL, token request and token response (instance_url,
// no expiry), and the instance_url check that keeps API calls on Salesforce's own hosts.
// (Moved from tests/unit/providers.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { checkedInstanceUrl, isSalesforceHost } from '@/lib/providers/salesforce';
import { authorizeParams, grant, parseTokens, tokenRequest } from '@/tests/support/oauth-dialect';

const parse = parseTokens;

afterEach(() => {
  delete process.env.PROVIDER_SANDBOX_URL;
});

describe('authorize URLs', () => {
  it('Salesforce: its own host and scopes', () => {
    expect(authorizeParams('salesforce')).toMatchObject({
      origin: 'https://login.salesforce.com/services/oauth2/authorize',
      params: { scope: 'api refresh_token', code_challenge_method: 'S256' },
    });
  });
});

describe('token requests', () => {
  it('form-encodes with the client secret in the body for Salesforce', () => {
    const request = tokenRequest('salesforce');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ client_id: 'client-123', client_secret: 'secret-456', ...grant });
  });
});

describe('token responses', () => {
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
