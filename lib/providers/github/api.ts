// GitHub REST API (https://docs.github.com/en/rest): the one helper this folder calls it with, the
// shapes it reads, and GitHub's rate-limit and conditional-request dialects.
//
// Rate limits (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api):
// the primary limit answers 403 or 429 with x-ratelimit-remaining: 0 — wait until x-ratelimit-reset
// (epoch seconds); a secondary limit answers 403 or 429, with retry-after when GitHub says how
// long, else "wait at least one minute". Both become a 429 ProviderHttpError carrying the wait, which
// the sync runner and the job backoff already honour (ProviderHttpError.temporary).
// Conditional requests (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate):
// If-None-Match with a stored ETag answers 304 when nothing changed, and an authorised 304 does not
// count against the primary limit.
// Pagination (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api):
// follow the Link header's rel="next" URL; per_page is at most 100.
import { z } from 'zod';
import { ProviderHttpError } from '../errors';
import type { ProviderClient, ProviderResponse, RequestOptions } from '../types';

export const API = 'https://api.github.com';
export const WEB = 'https://github.com';
export const PAGE_SIZE = 100;
/** The REST API version this folder speaks (sent as X-GitHub-Api-Version). */
export const API_VERSION = '2022-11-28';
/** GitHub's advice when a secondary limit names no wait: at least a minute. */
export const SECONDARY_LIMIT_WAIT_SECONDS = 60;

const HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION };

/** A repository's owner/name as GitHub spells it (what the selection stores). */
export const fullName = z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/);

/**
 * A 403/429 that is a rate limit, as a 429 that says how long to wait; null for any other refusal
 * (a 403 for missing permissions stays a 403).
 */
export function asRateLimit(error: ProviderHttpError, nowMs = Date.now()): ProviderHttpError | null {
  if (error.status !== 403 && error.status !== 429) return null;
  const headers = error.headers;
  if (error.retryAfterSeconds !== undefined) {
    return new ProviderHttpError(429, `GitHub secondary rate limit: ${error.providerMessage}`, error.retryAfterSeconds, headers);
  }
  if (headers?.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    const wait = Number.isFinite(reset) ? Math.max(1, Math.ceil(reset - nowMs / 1000)) : SECONDARY_LIMIT_WAIT_SECONDS;
    return new ProviderHttpError(429, `GitHub rate limit exhausted: ${error.providerMessage}`, wait, headers);
  }
  if (error.status === 429 || /rate limit/i.test(error.providerMessage)) {
    return new ProviderHttpError(429, `GitHub secondary rate limit: ${error.providerMessage}`, SECONDARY_LIMIT_WAIT_SECONDS, headers);
  }
  return null;
}

/** Calls GitHub; `path` is a path under the API or a full URL GitHub gave (a Link). */
export async function github<T = unknown>(client: ProviderClient, path: string, options: RequestOptions = {}): Promise<ProviderResponse<T>> {
  const url = path.startsWith('https://') ? path : `${API}${path}`;
  try {
    return await client.request<T>(url, { ...options, headers: { ...HEADERS, ...options.headers } });
  } catch (error) {
    if (error instanceof ProviderHttpError) throw asRateLimit(error) ?? error;
    throw error;
  }
}

export type Conditional<T> = { notModified: true } | { notModified: false; body: T; etag: string | null; next: string | null };

/** A GET with If-None-Match when an ETag is known: a 304 means "unchanged since that answer". */
export async function conditionalGet<T>(client: ProviderClient, url: string, etag: string | null): Promise<Conditional<T>> {
  try {
    const response = await github<T>(client, url, etag ? { headers: { 'if-none-match': etag } } : {});
    return { notModified: false, body: response.body, etag: response.headers.get('etag'), next: nextLink(response.headers.get('link')) };
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 304) return { notModified: true };
    throw error;
  }
}

/** The rel="next" URL of a Link header, or null. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part.trim());
    if (match && match[2].split(/\s+/).includes('next')) return match[1];
  }
  return null;
}

export const githubUser = z.object({ id: z.number().int(), login: z.string().min(1), name: z.string().nullable().optional(), email: z.string().nullable().optional() }).passthrough();

export const repository = z
  .object({
    id: z.number().int(),
    full_name: fullName,
    private: z.boolean().optional(),
    description: z.string().nullable().optional(),
    updated_at: z.string().min(1),
  })
  .passthrough();
export type Repository = z.infer<typeof repository>;

/** An issue or pull request as GitHub's issues endpoints show it (pull requests carry `pull_request`). */
export const issue = z
  .object({
    id: z.number().int(),
    number: z.number().int(),
    title: z.string(),
    state: z.string(),
    updated_at: z.string().min(1),
    pull_request: z.object({ url: z.string() }).passthrough().optional(),
  })
  .passthrough();
export type Issue = z.infer<typeof issue>;

export const commit = z
  .object({
    sha: z.string().min(7),
    commit: z.object({ committer: z.object({ date: z.string().min(1) }).passthrough().nullable(), message: z.string() }).passthrough(),
  })
  .passthrough();
export type Commit = z.infer<typeof commit>;

/** GitHub's error body: { message, documentation_url, errors?: [{ resource, field, code, message }] }. */
const errorBody = z
  .object({
    message: z.string().optional(),
    errors: z.array(z.union([z.string(), z.object({ field: z.string().optional(), code: z.string().optional(), message: z.string().optional() }).passthrough()])).optional(),
    error_description: z.string().optional(),
  })
  .passthrough();

export function describeGithubError(body: unknown): string | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, errors, error_description: description } = parsed.data;
  if (!message && !description) return undefined;
  const detail = errors
    ?.map((e) => (typeof e === 'string' ? e : [e.field, e.message ?? e.code].filter(Boolean).join(' ')))
    .filter(Boolean)
    .join('; ');
  return [message ?? description, detail].filter(Boolean).join(': ');
}

/** GET /user: who the token is for. */
export async function currentUser(client: ProviderClient) {
  return githubUser.parse((await github(client, '/user')).body);
}

/** Splits "owner/name" into its encoded path, or throws on anything else. */
export function repoPath(name: string): string {
  const [owner, repo] = fullName.parse(name).split('/');
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
