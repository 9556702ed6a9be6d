// What the per-provider definition tests (tests/sandbox/providers/<id>/definition.unit.test.ts)
// share: live client credentials, a fixed clock and handshake, and the provider's authorize URL,
// token request and token parsing as pure data.
import { buildAuthorizeUrl } from '@/lib/oauth/authorize-url';
import { buildTokenRequest, oauthSettings } from '@/lib/oauth/token-endpoint';
import type { ClientCredentials } from '@/lib/providers/credentials';
import { findProvider } from '@/lib/providers/registry';
import type { ProviderDefinition, TokenSet } from '@/lib/providers/types';

export const live: ClientCredentials = { clientId: 'client-123', clientSecret: 'secret-456', environment: 'live' };
export const now = new Date('2026-11-22T12:00:00.000Z');
export const handshake = { state: 'state-abc', redirectUri: 'https://hub.example/api/oauth/x/callback', codeChallenge: 'challenge-xyz' };
/** An authorization-code grant, as the callback sends it. */
export const grant = { grant_type: 'authorization_code', code: 'code-1', redirect_uri: handshake.redirectUri, code_verifier: 'verifier-1' };

export function provider(id: string): ProviderDefinition {
  const found = findProvider(id);
  if (!found) throw new Error(`The app registers no provider ${id}`);
  return found;
}

export function authorizeParams(id: string) {
  const url = new URL(buildAuthorizeUrl(provider(id), live, handshake));
  return { origin: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams) };
}

export const tokenRequest = (id: string, credentials: ClientCredentials = live) => buildTokenRequest(provider(id), credentials, grant);

export const parseTokens = (id: string, body: unknown, previous?: TokenSet) => oauthSettings(provider(id)).parseTokenResponse(body, now, previous);
