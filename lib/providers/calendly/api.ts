// Calendly API v2 (https://developer.calendly.com/api-docs): the shapes this folder reads and the
// one helper that calls it. Every list answers { collection, pagination } and pages with
// pagination.next_page_token (also given as the full next_page URL); `count` is at most 100.
// Resources are named by URI (https://api.calendly.com/users/<uuid>); the uuid is the URI's last part.
import { z } from 'zod';
import type { ProviderClient, RequestOptions } from '../types';

export const API = 'https://api.calendly.com';
export const AUTH = 'https://auth.calendly.com';
export const PAGE_SIZE = 100;

export const pagination = z
  .object({
    count: z.number().int().optional(),
    next_page: z.string().nullable().optional(),
    next_page_token: z.string().nullable().optional(),
  })
  .passthrough();

export const collectionOf = <T extends z.ZodType>(item: T) => z.object({ collection: z.array(item), pagination });

/** The fields every synced object carries (the rest is kept as Calendly sent it). */
export const calendlyObject = z.object({ uri: z.string().min(1), updated_at: z.string().min(1) }).passthrough();
export type CalendlyObject = z.infer<typeof calendlyObject>;

const userAnswer = z.object({
  resource: z
    .object({
      uri: z.string().min(1),
      name: z.string().optional(),
      email: z.string().optional(),
      timezone: z.string().optional(),
      current_organization: z.string().min(1),
    })
    .passthrough(),
});
export type CalendlyUser = z.infer<typeof userAnswer>['resource'];

/** The last path segment of a Calendly URI: what its API paths take. */
export function uuidOf(uri: string): string {
  return uri.replace(/\/+$/, '').split('/').at(-1) ?? uri;
}

export async function calendly(client: ProviderClient, path: string, options: RequestOptions = {}): Promise<unknown> {
  return (await client.request(`${API}${path}`, options)).body;
}

/** GET /users/me: the token's user and its current organization. */
export async function currentUser(client: ProviderClient): Promise<CalendlyUser> {
  return userAnswer.parse(await calendly(client, '/users/me')).resource;
}

/** Calendly's error body: { title, message, details: [{ parameter, message }] }. */
export const calendlyError = z
  .object({
    title: z.string().optional(),
    message: z.string().optional(),
    details: z.array(z.object({ parameter: z.string().optional(), message: z.string().optional() }).passthrough()).optional(),
  })
  .passthrough();

export function describeCalendlyError(body: unknown): string | undefined {
  const parsed = calendlyError.safeParse(body);
  if (!parsed.success || (!parsed.data.message && !parsed.data.title)) return undefined;
  const { title, message, details } = parsed.data;
  const detail = details?.map((d) => [d.parameter, d.message].filter(Boolean).join(' ')).filter(Boolean).join('; ');
  return [message ?? title, detail].filter(Boolean).join(': ');
}

const tokenOwner = z.object({ owner: z.string().min(1).optional(), organization: z.string().min(1).optional() }).passthrough();

/** The token answer's owner and organization URIs, kept with the tokens so calls need no /users/me first. */
export function ownerExtra(body: unknown): Record<string, string> {
  const parsed = tokenOwner.safeParse(body);
  if (!parsed.success) return {};
  const { owner, organization } = parsed.data;
  return { ...(owner ? { owner } : {}), ...(organization ? { organization } : {}) };
}

/** The connected user's URI and organization: from the token answer when it said, else GET /users/me. */
export async function connectedUser(client: ProviderClient): Promise<{ uri: string; organization: string }> {
  const { owner, organization } = client.tokens.extra ?? {};
  if (owner && organization) return { uri: owner, organization };
  const user = await currentUser(client);
  return { uri: user.uri, organization: user.current_organization };
}
