// Where a provider's requests go: the real provider, or the provider sandbox (tests, demo).
// The sandbox is a fake internet: https://api.hubapi.com/x becomes <sandbox>/api.hubapi.com/x.
import { ProviderProtocolError } from './errors';

export type Environment = 'live' | 'sandbox';

export function sandboxBaseUrl(): string | null {
  const url = process.env.PROVIDER_SANDBOX_URL?.replace(/\/+$/, '');
  if (!url) return null;
  // Pointing providers elsewhere in production would send real tokens to another server.
  if (process.env.NODE_ENV === 'production' && process.env.PROVIDER_SANDBOX_ALLOW_PRODUCTION !== '1') return null;
  return url;
}

export function toSandboxUrl(realUrl: string): string {
  const base = sandboxBaseUrl();
  if (!base) throw new ProviderProtocolError('The provider sandbox is not configured (PROVIDER_SANDBOX_URL).');
  const url = new URL(realUrl);
  return `${base}/${url.host}${url.pathname}${url.search}`;
}

/** The real URL behind a sandbox URL (for host checks); live URLs come back unchanged. */
export function toRealUrl(url: string, environment: Environment): string {
  if (environment === 'live') return url;
  const base = sandboxBaseUrl();
  if (!base || !url.startsWith(`${base}/`)) throw new ProviderProtocolError(`Not a sandbox URL: ${url}`);
  return `https://${url.slice(base.length + 1)}`;
}

export function resolveUrl(realUrl: string, environment: Environment): string {
  return environment === 'sandbox' ? toSandboxUrl(realUrl) : realUrl;
}
