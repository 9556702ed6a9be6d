// What every provider's OAuth dialect shares: the registry, token answers without an access token,
// the sandbox stand-in for any provider's URLs, and its refusal in production. Each provider's own
// authorize URL, token request and token response are pinned beside it
// (tests/sandbox/providers/<id>/definition.unit.test.ts).
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '@/lib/oauth/authorize-url';
import { oauthSettings } from '@/lib/oauth/token-endpoint';
import { sandboxBaseUrl, toRealUrl, toSandboxUrl } from '@/lib/providers/environment';
import { providers } from '@/lib/providers/registry';
import { handshake, live, parseTokens } from '@/tests/support/oauth-dialect';
import { exampleProvider } from '@/tests/support/providers';

afterEach(() => {
  delete process.env.PROVIDER_SANDBOX_URL;
});

describe('registry', () => {
  it('lists every provider folder once, each with unique id, resources and a category', () => {
    const folders = fs
      .readdirSync(new URL('../../lib/providers', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(providers.map((p) => p.id).sort()).toEqual(folders.sort());
    expect(new Set(providers.map((p) => p.id)).size).toBe(providers.length);
    for (const p of providers) {
      expect(p.resources.length).toBeGreaterThan(0);
      expect(['Calendar', 'CRM', 'Booking', 'Email', 'Messaging', 'Marketing', 'Database', 'Developer']).toContain(p.category);
    }
  });
});

describe('authorize URLs', () => {
  it('goes to the sandbox with the sandbox client when the connection is a sandbox one', () => {
    const { id, definition } = exampleProvider({ auth: 'oauth2' });
    process.env.PROVIDER_SANDBOX_URL = 'http://127.0.0.1:4010/';
    const url = buildAuthorizeUrl(definition, { ...live, clientId: `sandbox-${id}`, environment: 'sandbox' }, handshake);
    const real = new URL(oauthSettings(definition).authorizeUrl);
    expect(url.startsWith(`http://127.0.0.1:4010/${real.host}${real.pathname}?`)).toBe(true);
    expect(new URL(url).searchParams.get('client_id')).toBe(`sandbox-${id}`);
  });
});

describe('token responses', () => {
  it('rejects answers without an access token', () => {
    for (const p of providers.filter((p) => p.auth.kind === 'oauth2')) {
      expect(() => parseTokens(p.id, { token_type: 'bearer' }), p.id).toThrow(/access_token/);
    }
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
