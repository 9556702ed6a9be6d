// The provider's authorize URL for one handshake, in that provider's dialect.
import type { ClientCredentials } from '../providers/credentials';
import { resolveUrl } from '../providers/environment';
import type { ProviderDefinition } from '../providers/types';
import { oauthSettings } from './token-endpoint';

export function buildAuthorizeUrl(
  provider: ProviderDefinition,
  credentials: ClientCredentials,
  handshake: { state: string; redirectUri: string; codeChallenge?: string },
): string {
  const auth = oauthSettings(provider);
  const url = new URL(resolveUrl(auth.authorizeUrl, credentials.environment));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', credentials.clientId);
  url.searchParams.set('redirect_uri', handshake.redirectUri);
  // A provider without scopes (the grant is all or nothing) gets no scope parameter at all.
  if (auth.scopes.length > 0) url.searchParams.set('scope', auth.scopes.join(auth.scopeSeparator));
  url.searchParams.set('state', handshake.state);
  if (auth.pkce) {
    if (!handshake.codeChallenge) throw new Error(`${provider.name} uses PKCE: a code challenge is required`);
    url.searchParams.set('code_challenge', handshake.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [key, value] of Object.entries(auth.authorizeParams ?? {})) url.searchParams.set(key, value);
  return url.toString();
}
