// What a provider is, declaratively. One folder per provider implements this; the registry
// lists them; the catalog, OAuth routes, token refresh and (later) sync and webhooks read it.
import type { z } from 'zod';
import type { MappingDefinition } from '../mapping/language';
import type { ProviderClient } from './client';
import type { Environment } from './environment';
import type { ProviderHttpError } from './errors';

export type ProviderCategory = 'Calendar' | 'CRM' | 'Booking' | 'Email' | 'Developer';

/** Tokens as we store them (encrypted), whatever shape the provider answered with. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** ISO timestamp; absent when the provider gives none (Salesforce: refresh on 401). */
  expiresAt?: string;
  scopes?: string[];
  /** Provider-specific values needed later (Salesforce instance_url, Square merchant_id). */
  extra?: Record<string, string>;
}

export interface OAuth2Settings {
  kind: 'oauth2';
  authorizeUrl: string;
  tokenUrl: string;
  /** Square takes JSON; the others take application/x-www-form-urlencoded. */
  tokenRequestEncoding: 'form' | 'json';
  pkce: boolean;
  /** Square's PKCE flow is a public-client flow: no client_secret on code or refresh grants. */
  clientSecretOnTokenRequests: boolean;
  scopes: string[];
  scopeSeparator: ' ' | ',';
  authorizeParams?: Record<string, string>;
  /** True when every refresh returns a new refresh token and the old one dies. */
  refreshTokenRotates: boolean;
  /** Parses a token endpoint answer; `previous` supplies what a refresh answer leaves out. */
  parseTokenResponse(body: unknown, now: Date, previous?: TokenSet): TokenSet;
  /** Validates and normalises environment-dependent parts (Salesforce instance_url) before storing. */
  checkTokens?(tokens: TokenSet, environment: Environment): TokenSet;
}

export interface ApiKeyField {
  name: string;
  label: string;
  secret: boolean;
  schema: z.ZodType<string>;
  help?: string;
}

export interface ApiKeySettings {
  kind: 'api_key';
  fields: ApiKeyField[];
  /** Turns the submitted fields into the stored token set. */
  toTokenSet(values: Record<string, string>): TokenSet;
}

export interface AccountIdentity {
  accountId: string;
  accountLabel: string;
  details?: Record<string, string>;
}

export interface WebhookSupport {
  scheme: 'google-channel' | 'hubspot-v3' | 'square' | 'none';
  note: string;
}

export interface ResourceSummary {
  id: string;
  label: string;
}

/** One record as fetched: the provider's JSON, its id, and whether it is a tombstone. */
export interface FetchedRecord {
  externalId: string;
  data: unknown;
  deleted?: boolean;
}

export interface PageRequest {
  /** full: list everything (deletions found by absence); incremental: changes since `cursor`. */
  listing: 'full' | 'incremental';
  /** The cursor stored after the last complete listing; null on full listings. */
  cursor: unknown;
  /** Null for the first page of a listing, else the previous page's `next`. */
  page: unknown;
  now: Date;
}

export interface PageResult {
  records: FetchedRecord[];
  /** The rest of this listing (opaque, stored in the run's checkpoint), or null when complete. */
  next: unknown;
  /** With next === null: where the next incremental listing starts. */
  cursor?: unknown;
}

/** A resource that syncs: how to fetch one page of it, in the provider's own paging dialect. */
export interface SyncResource extends ResourceSummary {
  fetchPage(client: ProviderClient, request: PageRequest): Promise<PageResult>;
}

export interface ProviderDefinition {
  id: string;
  name: string;
  category: ProviderCategory;
  description: string;
  /** Brand colour for the initials tile (we ship no third-party logos). */
  color: string;
  initials: string;
  capabilities: string[];
  resources: (ResourceSummary | SyncResource)[];
  /** Field mappings a new connection starts with, keyed by resource id (see lib/mapping). */
  defaultMappings?: Record<string, MappingDefinition>;
  webhooks: WebhookSupport;
  /** Set when the provider's API is not publicly documented and our endpoints are unverified. */
  unverified?: string;
  docsUrl: string;
  auth: OAuth2Settings | ApiKeySettings;
  /** Hosts this provider's URLs may point at; anything else is refused (SSRF). */
  allowedHosts: (host: string) => boolean;
  /** The connection test: who is this token for? Throws ProviderHttpError on failure. */
  identify(client: ProviderClient): Promise<AccountIdentity>;
  /** Does this failure mean "your access token is no longer good"? Default: HTTP 401. */
  rejectsAccessToken?(error: ProviderHttpError): boolean;
  /** Revokes at the provider where it offers revocation. */
  revoke?(client: ProviderClient): Promise<void>;
}
