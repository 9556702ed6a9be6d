// Talks to a provider's token endpoint in that provider's dialect (form or JSON body, client
// secret or not) and classifies failures: a dead grant needs reauthorization, anything on the
// provider's side is temporary.
import { describeErrorBody, readBody, redact, retryAfter, send } from '../providers/client';
import type { ClientCredentials } from '../providers/credentials';
import { resolveUrl } from '../providers/environment';
import {
  ProviderProtocolError,
  REAUTH_ERRORS,
  ReauthorizationRequiredError,
  TemporaryProviderError,
} from '../providers/errors';
import type { OAuth2Settings, ProviderDefinition, TokenSet } from '../providers/types';

export function oauthSettings(provider: ProviderDefinition): OAuth2Settings {
  if (provider.auth.kind !== 'oauth2') throw new ProviderProtocolError(`${provider.name} does not use OAuth`);
  return provider.auth;
}

/** The request a token endpoint expects, as data (unit-tested per provider). */
export function buildTokenRequest(
  provider: ProviderDefinition,
  credentials: ClientCredentials,
  grant: Record<string, string>,
): { url: string; headers: Record<string, string>; body: string } {
  const auth = oauthSettings(provider);
  const params: Record<string, string> = { client_id: credentials.clientId, ...grant };
  const basicAuth = auth.tokenClientAuthentication === 'basic';
  // Basic only with a secret to send; a client without one sends just its id (a public client).
  const basic = basicAuth && auth.clientSecretOnTokenRequests && credentials.clientSecret !== '';
  if (auth.clientSecretOnTokenRequests && !basicAuth) params.client_secret = credentials.clientSecret;
  const url = resolveUrl(auth.tokenUrl, credentials.environment);
  if (basic) {
    // RFC 6749 §2.3.1: each part form-encoded before joining.
    const user = `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`;
    return {
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${Buffer.from(user).toString('base64')}` },
      body: new URLSearchParams(params).toString(),
    };
  }
  if (auth.tokenRequestEncoding === 'json') {
    return { url, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(params) };
  }
  return {
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  };
}

export async function requestTokens(
  provider: ProviderDefinition,
  credentials: ClientCredentials,
  grant: Record<string, string>,
  previous?: TokenSet,
  now = new Date(),
): Promise<TokenSet> {
  const request = buildTokenRequest(provider, credentials, grant);
  const response = await send(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const body = await readBody(response);
  const secrets = [credentials.clientSecret, grant.code, grant.refresh_token, grant.code_verifier];
  if (response.ok) {
    try {
      return oauthSettings(provider).parseTokenResponse(body, now, previous);
    } catch (error) {
      // A provider that answers refusals with 200 (GitHub) says so from parseTokenResponse.
      if (error instanceof ReauthorizationRequiredError) throw error;
      throw new ProviderProtocolError(`${provider.name} answered the token request with an unexpected shape: ${(error as Error).message}`);
    }
  }
  const message = redact(describeErrorBody(provider, body), secrets);
  if (response.status === 429 || response.status >= 500) {
    throw new TemporaryProviderError(`${provider.name} token endpoint answered ${response.status}: ${message}`, retryAfter(response.headers));
  }
  const code = oauthErrorCode(body);
  throw new ReauthorizationRequiredError(REAUTH_ERRORS.has(code) ? `${code}: ${message}` : `${response.status} ${code || message}`);
}

function oauthErrorCode(body: unknown): string {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const error = (body as Record<string, unknown>).error;
    if (typeof error === 'string') return error;
  }
  return '';
}
