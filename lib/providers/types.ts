// What a provider is, declaratively. One folder per provider implements this; the registry
// lists them; the catalog, OAuth routes, token refresh and (later) sync and webhooks read it.
import type { z } from 'zod';
import type { ActionInput, ActionName, ActionOutput } from '../actions/schemas';
import type { DeliveryInput, ParsedDelivery } from '../webhooks/types';
import type { SignatureCheck } from '../webhooks/verify';
import type { MappingDefinition } from '../mapping/language';
import type { FieldType, ModelName } from '../mapping/model';
import type { Environment } from './environment';
import type { ProviderHttpError } from './errors';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  environment: Environment;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Default true: send the access token as a Bearer header. */
  bearer?: boolean;
}

export interface ProviderResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls one connection's provider API (lib/providers/client.ts builds it). */
export interface ProviderClient {
  provider: ProviderDefinition;
  environment: Environment;
  credentials: ClientCredentials;
  tokens: TokenSet;
  /** A real provider URL (https://api.hubapi.com/...), or a sandbox URL the provider gave us. */
  request<T = unknown>(url: string, options?: RequestOptions): Promise<ProviderResponse<T>>;
  /**
   * Changes the connection's stored (encrypted) tokens: `change` runs with the stored tokens while
   * they are locked, one at a time per connection across processes, and what it returns as
   * `tokens` is saved. For credentials a provider renews itself besides OAuth (a second token).
   * Absent before the connection is saved (the connection test at connect): what is set on
   * `tokens` then is saved with the connection.
   */
  updateTokens?<T>(change: (stored: TokenSet) => Promise<{ tokens?: TokenSet; result: T }>): Promise<T>;
  /**
   * What the admin chose among what the provider offers (ProviderDefinition.selection: GitHub
   * repositories), read from the connection's settings; absent before the connection is saved.
   */
  selection?: readonly string[];
}

export type ProviderCategory = 'Calendar' | 'CRM' | 'Booking' | 'Email' | 'Messaging' | 'Marketing' | 'Database' | 'Developer';

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
  /**
   * 'basic': the client authenticates to the token endpoint with HTTP Basic (client id and secret,
   * RFC 6749 §2.3.1) when it has a secret, instead of client_secret in the body (Airtable).
   */
  tokenClientAuthentication?: 'body' | 'basic';
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
  /** May be left empty (the form does not mark it required). */
  optional?: boolean;
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
  /**
   * The scopes the grant holds, for a provider whose token answer does not say but which can be
   * asked (token introspection); otherwise the token answer's scopes, or the requested ones, stand.
   */
  grantedScopes?: string[];
}

/** What an action handler is given: the connection's provider client and the request's facts. */
export interface ActionContext {
  client: ProviderClient;
  /**
   * The write's Idempotency-Key (scoped to workspace and action), or null for reads. A provider with
   * its own idempotency (Square's idempotency_key, a Google event id) derives it from this, so a
   * retry cannot create a second booking.
   */
  idempotencyKey: string | null;
  /**
   * True when an earlier attempt with this key never recorded its outcome (it may have committed at
   * the provider and then lost the response): look for what it created before creating again.
   */
  retry: boolean;
  /** ISO 3166 country for phone numbers written without a country code. */
  defaultRegion: string;
  now: Date;
}

/** A record an action created or changed, in the shape its sync stores, written through at once. */
export interface ActionRecord {
  resource: string;
  externalId: string;
  data: unknown;
  deleted?: boolean;
}

export interface ActionResult<O> {
  output: O;
  /** Stored in the connection's records (mapped) in the same request, so the next sync finds them unchanged. */
  records?: ActionRecord[];
}

export type ActionHandler<A extends ActionName> = (context: ActionContext, input: ActionInput<A>) => Promise<ActionResult<ActionOutput<A>>>;

/** The actions a provider supports, each in its folder; an absent one answers action_not_supported. */
export type ProviderActions = { [A in ActionName]?: ActionHandler<A> };

/** A secret that verifies app-level deliveries, and the environment whose connections it vouches for. */
export interface AppSecret {
  environment: Environment;
  secret: string;
}

/**
 * One endpoint for every account of the provider, signed with an app-level secret (HubSpot's
 * client secret, Square's subscription signature key). The delivery names its account; it routes
 * only to connections of the environment whose secret verified it.
 */
export interface AppSignedDeliveries {
  kind: 'app-signed';
  verify: SignatureCheck;
  /** Live first; the sandbox's only where the sandbox is allowed (never in production). */
  secrets(provider: ProviderDefinition): AppSecret[];
  /** The URL the signature covers when configuration fixes it (Square); else the request's own URL. */
  signedUrl?(provider: ProviderDefinition): string | null;
}

/** What the app asks the provider for when it opens a push channel. */
export interface ChannelRequest {
  /** Our channel id (a UUID), echoed by the provider on every notification. */
  id: string;
  /** The channel's shared secret, echoed by the provider; stored only encrypted. */
  token: string;
  /** Where the provider posts. */
  address: string;
  /** What the channel watches (a calendar id). */
  target: string;
}

/**
 * Push channels the app opens per connection and target (Google's events.watch): notifications
 * name the channel, and the channel's token proves the sender. Opened on connect, replaced before
 * they expire, stopped on disconnect (lib/webhooks/channels.ts does the bookkeeping).
 */
export interface ChannelDeliveries {
  kind: 'channel';
  /** Compares the request against the channel's token (given as the secret). */
  verify: SignatureCheck;
  /**
   * The channel a request names; null when it is not a notification at all. `url` is the URL the
   * provider called: a provider with no header to echo our channel id carries it in the query string
   * of the address it was given.
   */
  channelIdOf(headers: Headers, url: URL): string | null;
  /** The resource notifications are about. */
  resource: string;
  /** How a notification's body is encoded: JSON (default) or application/x-www-form-urlencoded. */
  bodyEncoding?: 'json' | 'form';
  /** What to watch on a connection (Google: every calendar it can see). */
  targets(client: ProviderClient): Promise<string[]>;
  /**
   * Opens the channel. `secret`: a signing key the provider issued for it (shown once), which
   * replaces the channel token as the secret deliveries are verified with.
   */
  open(client: ProviderClient, channel: ChannelRequest): Promise<{ resourceId: string | null; expiresAt: Date | null; secret?: string }>;
  /**
   * Turns on delivery after the channel's secret is stored, for providers whose channels start
   * inactive, so no delivery can arrive before we can verify it.
   */
  activate?(client: ProviderClient, channel: { id: string; resourceId: string }): Promise<void>;
  /**
   * Extends a channel in place (Airtable's webhook refresh), for providers whose channels can be
   * renewed without a new one: renewal calls this instead of replacing the channel, and replaces
   * it only when this fails.
   */
  refresh?(client: ProviderClient, channel: { id: string; resourceId: string }): Promise<{ expiresAt: Date | null }>;
  /** Stops a channel early; one the provider no longer knows counts as stopped. */
  stop(client: ProviderClient, channel: { id: string; resourceId: string }): Promise<void>;
  /**
   * What of a notification is stored as its payload (never the token). `body` is the parsed JSON
   * body, or null when the notification has none (Google's pushes).
   */
  storedPayload(headers: Headers, body: unknown): unknown;
}

/** The part of a push channel the app's bookkeeping drives (lib/webhooks/channels.ts): open, renew, stop. */
export type ChannelLifecycle = Pick<ChannelDeliveries, 'resource' | 'targets' | 'open' | 'activate' | 'refresh' | 'stop'> & {
  /**
   * Opening again replaces the provider's previous subscription in place (one per account, as
   * Gmail's users.watch): a renewal then must not stop the old one, which would stop the new.
   */
  renewsInPlace?: boolean;
  /** Renew when less than this is left (default: a day, lib/webhooks/channels.ts RENEW_BEFORE_MS). */
  renewWithinMs?: number;
};

/** What an asynchronous verification concluded: the environment whose keys vouched for it, or why not. */
export type TokenVerdict = { ok: true; environment: Environment } | { ok: false; reason: string };

/**
 * One endpoint for every account, authenticated by a token the sender signs with keys it publishes
 * (an OpenID Connect ID token in `Authorization: Bearer`, as Cloud Pub/Sub push sends): verifying
 * needs the fetched (cached) key set, so it is asynchronous. It resolves { ok: false } for a token
 * that does not verify and throws when the keys cannot be had (the sender retries). The body names
 * the account; it routes only to connections of the environment whose keys verified it. `watch`:
 * a subscription the app opens per connection and renews before it lapses, whose deliveries all
 * arrive at this one endpoint.
 */
export interface TokenAuthenticatedDeliveries {
  kind: 'token-authenticated';
  verify(request: { headers: Headers; body: Buffer; url: string; now: Date }, provider: ProviderDefinition): Promise<TokenVerdict>;
  watch?: ChannelLifecycle;
}

/** Everything provider-specific about receiving a provider's webhooks. */
export interface ProviderWebhooks {
  /** Stored with each delivery: a short id of the verification scheme. */
  scheme: string;
  /** How screens name the verification ("HubSpot signature v3"). */
  schemeLabel: string;
  /** One line for the catalog card. */
  note: string;
  /** What an admin does at the provider so deliveries arrive. */
  setup: string;
  deliveries: AppSignedDeliveries | ChannelDeliveries | TokenAuthenticatedDeliveries;
  /**
   * Answers a request that proves the endpoint exists before any delivery (Microsoft Graph's
   * `validationToken` echo when a subscription is created); null for every other request. It runs
   * before verification and must not touch the database: providers want the answer within seconds.
   */
  handshake?(request: Request): Response | null;
  /**
   * Answers a verified request itself instead of storing it (Slack's url_verification challenge,
   * echoed only once its signature is proven); null for a delivery. `body` is the parsed JSON body.
   */
  verifiedReply?(body: unknown): Response | null;
  /** One verified delivery as events; throws a ZodError when it is not the provider's format (400). */
  parse(input: DeliveryInput): ParsedDelivery[];
  /** The part of the body each event keeps as its stored payload; default: the whole body for each. */
  payloadsOf?(body: unknown, events: ParsedDelivery[]): unknown[];
  /** Reads one stored payload back; default: parse({ body: payload, headers: none }). */
  reparse?(payload: unknown): ParsedDelivery[];
}

export interface ResourceSummary {
  id: string;
  label: string;
  /** Scopes the grant must hold for this resource to sync; the health rules flag a grant without them. */
  requiredScopes?: string[];
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
  /** Absent when the provider sends no webhooks we verify; then `withoutWebhooks` says how changes arrive. */
  webhooks?: ProviderWebhooks;
  withoutWebhooks?: string;
  /** Turns a provider error body into the sentence we show; default: the usual fields (lib/providers/http.ts). */
  describeError?(body: unknown): string | undefined;
  /** Set when the provider's API is not publicly documented and our endpoints are unverified. */
  unverified?: string;
  docsUrl: string;
  auth: OAuth2Settings | ApiKeySettings;
  /**
   * A second way to connect an OAuth provider: an API key the account holder types in (Acuity's
   * user id + key). Such a connection is an API-key connection (no refresh, the key is the token).
   */
  alternativeApiKey?: ApiKeySettings;
  /** Hosts this provider's URLs may point at; anything else is refused (SSRF). */
  allowedHosts: (host: string) => boolean;
  /** The connection test: who is this token for? Throws ProviderHttpError on failure. */
  identify(client: ProviderClient): Promise<AccountIdentity>;
  /** Does this failure mean "your access token is no longer good"? Default: HTTP 401. */
  rejectsAccessToken?(error: ProviderHttpError): boolean;
  /** What the hub can do at the provider (lib/actions); absent actions answer action_not_supported. */
  actions?: ProviderActions;
  /** Where the workspace's records can be pushed to at this provider (lib/push); absent: pull only. */
  push?: ProviderPush;
  /** Revokes at the provider where it offers revocation. */
  revoke?(client: ProviderClient): Promise<void>;
  /** Something the admin picks per connection (repositories) before it syncs or watches them. */
  selection?: ProviderSelection;
}

/** One thing the admin may pick (a repository): its id as the provider names it. */
export interface SelectionOption {
  id: string;
  label: string;
  /** A second line (visibility, description). */
  detail?: string;
}

/**
 * A per-connection choice among what the account can see (GitHub: which repositories to sync and
 * watch), stored in the connection's settings (lib/connections/selection.ts) and handed to the
 * provider as ProviderClient.selection. Until the admin chooses, nothing that depends on it syncs.
 */
export interface ProviderSelection {
  /** Plural noun for screens: "repositories". */
  label: string;
  /** What choosing does, shown on the connection page. */
  description: string;
  /** The most that may be chosen. */
  max: number;
  /**
   * For a provider that syncs everything until something is chosen (Airtable: every table), what
   * holds meanwhile, shown instead of the "nothing chosen" warning. Absent: nothing syncs until then.
   */
  whenNoneChosen?: string;
  /** What the connection can choose from, read live from the provider. */
  options(client: ProviderClient): Promise<SelectionOption[]>;
}

// ── Push: the provider side of writing the workspace's records out (a Mailchimp audience, an
// Airtable table). The engine (lib/push/) owns everything else — which source records go, their
// mapping, change detection by hash, pacing, checkpoints, per-record errors — so a provider folder
// implements only its own wire format. Written before the engine and the two providers were built
// in parallel; change it only with all three in view.

/** Somewhere records can be written: an audience, a base's table. */
export interface PushTarget {
  id: string;
  label: string;
  /** What the target belongs to, for grouping in the picker (an Airtable base's name). */
  group?: string;
}

/** A field of the target's real schema, offered as a mapping target. */
export interface PushField {
  /** The name the provider's API uses (a Mailchimp merge tag `FNAME`, an Airtable field name). */
  name: string;
  label: string;
  /** The closest model type, so the mapping's coercion and validation apply; 'unknown' passes values through. */
  type: FieldType | 'unknown';
  required?: boolean;
  /** May be chosen as the match key (Airtable's upsert `fieldsToMergeOn`). */
  matchable?: boolean;
  /** For enum-like fields (an Airtable single select): the values the provider accepts. */
  values?: readonly string[];
}

/**
 * How records are matched to the destination's own: a key the provider fixes (Mailchimp matches
 * members by email address) or one the admin chooses among the matchable fields (Airtable).
 */
export type PushMatchKey = { kind: 'fixed'; field: string } | { kind: 'chosen' };

/** What happens at the destination when a pushed source record is deleted. */
export type PushDeletionPolicy = 'keep' | 'archive' | 'delete';

/** One record to write: its match key's value, its mapped fields, and its id there if known. */
export interface PushRecord {
  key: string;
  fields: Record<string, unknown>;
  /** The destination's id for it, learned from an earlier push; null the first time. */
  externalId: string | null;
}

/** One record to remove (archive or delete, per the policy). */
export interface PushRemoval {
  key: string;
  externalId: string | null;
}

/**
 * The outcome of one record of a batch: written (with the destination's id) or refused with the
 * provider's reason. A refused record is counted as failed; the rest of the batch stands.
 */
export type PushOutcome = { key: string; ok: true; externalId: string } | { key: string; ok: false; error: string };

export interface PushTargetRef {
  /** PushTarget.id */
  id: string;
  /** The field records are matched on (the fixed one, or the admin's choice). */
  matchField: string;
}

export interface PushDestination {
  /** Stable id, stored with each push configuration (`members`, `records`). */
  id: string;
  label: string;
  /** The model entities whose records it accepts (Contacts to begin with). */
  models: readonly ModelName[];
  matchKey: PushMatchKey;
  /** The deletion policies it supports; `keep` is always allowed. */
  deletionPolicies: readonly PushDeletionPolicy[];
  /** The most records one write request may carry (Airtable: 10; Mailchimp's batch subscribe: 500). */
  batchSize: number;
  /**
   * The provider's request budget for writes to one target, as documented (Airtable: 5 requests/s
   * per base). The engine paces to it and also obeys 429s and their Retry-After.
   */
  rateLimit: { requestsPerSecond: number };
  /** The targets the connection can write to. */
  targets(client: ProviderClient): Promise<PushTarget[]>;
  /** The target's fields, read from the provider's schema. */
  fields(client: ProviderClient, targetId: string): Promise<PushField[]>;
  /**
   * Creates or updates up to `batchSize` records in ONE request where the provider allows (the
   * request count is what the benchmark holds to the minimum). Returns one outcome per record, in
   * any order. Throws (ProviderHttpError) only when the whole request failed: the engine retries the
   * batch, so an upsert must be safe to repeat.
   */
  upsert(client: ProviderClient, target: PushTargetRef, records: PushRecord[]): Promise<PushOutcome[]>;
  /** Archives or deletes up to `batchSize` records; a record already gone counts as ok. */
  remove(client: ProviderClient, target: PushTargetRef, records: PushRemoval[], policy: Exclude<PushDeletionPolicy, 'keep'>): Promise<PushOutcome[]>;
}

/** What a provider can receive from the hub. */
export interface ProviderPush {
  destinations: readonly PushDestination[];
}
