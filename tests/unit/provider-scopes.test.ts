// The scopes a resource declares it needs (read by the scopes_missing health rule) must be ones the
// provider asks for at connect, or every connection would be flagged at once; and the sandbox must
// grant what the app asks for, or tests would run on a grant no real connection gets.
import { describe, expect, it } from 'vitest';
import { providers } from '@/lib/providers/registry';
import { sandboxProvider } from '@/tests/sandbox/server';

const oauth = providers.flatMap((provider) => (provider.auth.kind === 'oauth2' ? [[provider.id, provider, provider.auth.scopes] as const] : []));

describe('declared resource scopes', () => {
  it('are declared by at least one OAuth provider', () => {
    expect(oauth.some(([, provider]) => provider.resources.some((resource) => resource.requiredScopes?.length))).toBe(true);
  });

  it.each(oauth)('%s: every resource needs only scopes the connect flow requests', (_id, provider, requested) => {
    for (const resource of provider.resources) {
      const missing = (resource.requiredScopes ?? []).filter((scope) => !requested.includes(scope));
      expect(missing, `${provider.id}.${resource.id} needs scopes the app never asks for`).toEqual([]);
      expect(new Set(resource.requiredScopes ?? []).size).toBe((resource.requiredScopes ?? []).length);
    }
  });

  it.each(oauth)('%s: the sandbox grants a plain connection what the app requests', (id, _provider, requested) => {
    const { auth } = sandboxProvider(id);
    expect(auth.kind).toBe('oauth2');
    if (auth.kind === 'oauth2') expect([...auth.scopes].sort()).toEqual([...requested].sort());
  });
});
