// Calls a provider's API for one connection: resolves sandbox URLs, refuses hosts the provider
// does not own, times out, and turns failures into the classes in ./errors.
import { resolveUrl, toRealUrl, type Environment } from './environment';
import { ProviderHttpError, ProviderProtocolError, TemporaryProviderError } from './errors';
import type { ClientCredentials, ProviderClient, ProviderDefinition, RequestOptions, TokenSet } from './types';

export type { ProviderClient, ProviderResponse, RequestOptions } from './types';

const TIMEOUT_MS = 15_000;

export function createProviderClient(
  provider: ProviderDefinition,
  credentials: ClientCredentials,
  tokens: TokenSet,
): ProviderClient {
  const environment = credentials.environment;
  return {
    provider,
    environment,
    credentials,
    tokens,
    async request<T>(url: string, options: RequestOptions = {}) {
      const target = targetUrl(provider, url, environment);
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      if (options.bearer !== false) headers.authorization = `Bearer ${tokens.accessToken}`;
      let body: string | undefined;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      } else if (options.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(options.form).toString();
      }
      const response = await send(target, { method: options.method ?? 'GET', headers, body });
      const parsed = await readBody(response);
      if (!response.ok) {
        throw new ProviderHttpError(
          response.status,
          redact(describeErrorBody(provider, parsed), [tokens.accessToken, tokens.refreshToken, credentials.clientSecret]),
          retryAfter(response.headers),
          response.headers,
        );
      }
      return { status: response.status, body: parsed as T, headers: response.headers };
    },
  };
}

/** Accepts a real URL or a sandbox URL; either way the real host must belong to the provider. */
function targetUrl(provider: ProviderDefinition, url: string, environment: Environment): string {
  const sandboxed = environment === 'sandbox' && !url.startsWith('https://');
  const real = sandboxed ? toRealUrl(url, environment) : url;
  let host: string;
  try {
    const parsed = new URL(real);
    if (parsed.protocol !== 'https:') throw new Error('not https');
    host = parsed.hostname;
  } catch {
    throw new ProviderProtocolError(`Refusing a non-https provider URL: ${real}`);
  }
  if (!provider.allowedHosts(host)) throw new ProviderProtocolError(`Refusing a host ${provider.name} does not own: ${host}`);
  return sandboxed ? url : resolveUrl(real, environment);
}

export async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new TemporaryProviderError(`The provider ${reason} (${new URL(url).host}).`);
  }
}

export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** A provider's error body as a sentence: its own reading first, then the usual fields. */
export function describeErrorBody(provider: ProviderDefinition, body: unknown): string {
  return provider.describeError?.(body) ?? describeProviderError(body);
}

/** The most human part of the usual error shapes; a provider with its own shape describes it (describeError). */
export function describeProviderError(body: unknown): string {
  const pick = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
  if (typeof body === 'string') return body.slice(0, 300);
  if (Array.isArray(body)) return describeProviderError(body[0]);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
    return pick(b.error_description) ?? pick(nested?.message) ?? pick(b.message) ?? pick(b.error) ?? JSON.stringify(body).slice(0, 300);
  }
  return 'no details';
}

export function redact(text: string, secrets: (string | undefined)[]): string {
  return secrets.reduce<string>((out, secret) => (secret ? out.split(secret).join('[redacted]') : out), text);
}
