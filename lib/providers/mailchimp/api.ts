// Mailchimp Marketing API v3 (https://mailchimp.com/developer/marketing/api/). Each account lives in
// one data centre ("us6") and is served at https://<dc>.api.mailchimp.com/3.0 only; an OAuth app
// learns the data centre after the token exchange from GET https://login.mailchimp.com/oauth2/metadata
// (https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/, and the older
// https://developer.mailchimp.com/documentation/mailchimp/guides/how-to-use-oauth2/), which answers
// { dc, accountname, login: {...}, api_endpoint }. The metadata call authenticates with
// "Authorization: OAuth <token>"; the API takes the token as a Bearer token (the official Node SDK,
// repository mailchimp/mailchimp-marketing-node, sends "Bearer <accessToken>"). The data centre is
// kept in the token set's `extra` (dc, apiEndpoint) and checked against Mailchimp's own hosts, since
// it comes from the network (SSRF). Errors are problem details: { type, title, status, detail, instance }.
import crypto from 'node:crypto';
import { z } from 'zod';
import { toRealUrl, type Environment } from '../environment';
import { ProviderProtocolError } from '../errors';
import type { ProviderClient, RequestOptions } from '../types';

export const LOGIN_HOST = 'login.mailchimp.com';
export const METADATA_URL = `https://${LOGIN_HOST}/oauth2/metadata`;
/** <dc>.api.mailchimp.com: a data centre is two letters and a number (us1 … us21). */
const API_HOST = /^([a-z]{2}\d{1,3})\.api\.mailchimp\.com$/;

/** Mailchimp's hosts: the login host (OAuth, metadata) and the data-centre API hosts. Nothing else. */
export function isMailchimpHost(host: string): boolean {
  const name = host.toLowerCase();
  return name === LOGIN_HOST || API_HOST.test(name);
}

const metadata = z.object({
  dc: z.string().regex(/^[a-z]{2}\d{1,3}$/),
  api_endpoint: z.string().min(1),
  accountname: z.string().optional(),
  login: z.object({ email: z.string().optional(), login_name: z.string().optional() }).passthrough().optional(),
});

/**
 * The account's API origin from the metadata answer, as a real https URL on a Mailchimp data-centre
 * host that matches `dc`. The sandbox may answer with its own prefixed URL, mapped back first.
 */
export function checkedApiEndpoint(endpoint: string, dc: string, environment: Environment): string {
  const real = environment === 'sandbox' && !endpoint.startsWith('https://') ? toRealUrl(endpoint, environment) : endpoint;
  let url: URL;
  try {
    url = new URL(real);
  } catch {
    throw new ProviderProtocolError('Mailchimp returned an api_endpoint that is not a URL.');
  }
  const plain = url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  const host = API_HOST.exec(url.hostname.toLowerCase());
  if (!plain || !host || host[1] !== dc || url.pathname.replace(/\/$/, '') !== '') {
    throw new ProviderProtocolError(`Mailchimp returned an api_endpoint outside Mailchimp's data-centre hosts: ${url.origin}`);
  }
  return url.origin;
}

/**
 * The connection's API origin. Read from the metadata endpoint once (connect), then kept in the
 * token set's extra; an unsaved client (the connection test at connect) keeps it on its tokens, which
 * are saved with the connection.
 */
export async function apiOrigin(client: ProviderClient): Promise<string> {
  const stored = client.tokens.extra?.apiEndpoint;
  const dc = client.tokens.extra?.dc;
  if (stored && dc) return checkedApiEndpoint(stored, dc, 'live');
  const { body } = await client.request(METADATA_URL, { bearer: false, headers: { authorization: `OAuth ${client.tokens.accessToken}` } });
  const answer = metadata.parse(body);
  const origin = checkedApiEndpoint(answer.api_endpoint, answer.dc, client.environment);
  const extra = { ...client.tokens.extra, dc: answer.dc, apiEndpoint: origin };
  if (client.updateTokens) {
    await client.updateTokens(async (tokens) => ({ tokens: { ...tokens, extra: { ...tokens.extra, ...extra } }, result: undefined }));
  } else {
    client.tokens.extra = extra;
  }
  return origin;
}

/** One call to the account's API: `path` starts after /3.0 ("/lists?count=10"). */
export async function mailchimp<T = unknown>(client: ProviderClient, path: string, options: RequestOptions = {}): Promise<T> {
  const origin = await apiOrigin(client);
  return (await client.request<T>(`${origin}/3.0${path}`, options)).body;
}

const problem = z.object({ title: z.string().optional(), detail: z.string().optional(), status: z.number().optional() }).passthrough();

/** "Resource Not Found: The requested resource could not be found." */
export function describeMailchimpError(body: unknown): string | undefined {
  const parsed = problem.safeParse(body);
  if (!parsed.success || (!parsed.data.title && !parsed.data.detail)) return undefined;
  return [parsed.data.title, parsed.data.detail].filter(Boolean).join(': ');
}

/**
 * A member's id in an audience: the MD5 hash of the lowercase email address
 * (https://mailchimp.com/developer/marketing/docs/methods-parameters/#path-parameters, "subscriber_hash").
 */
export function subscriberHash(email: string): string {
  return crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex');
}
