// What one provider's sandbox registers. Each tests/sandbox/providers/<id>/index.ts exports one
// SandboxProvider carrying everything provider-specific; providers/registry.ts lists them, and the
// shared sandbox files (server, state, OAuth machinery, data control, listing clients, webhooks)
// iterate that list and name no provider themselves. Adding a provider to the sandbox = its folder
// + one line in the registry.
//
// This file and the other shared building blocks a provider folder imports (http, oauth, pages,
// data, data-view, data-faults, data-fake, listing, webhook-signing, webhook-delivery) must not
// import the registry at run time: the registry imports the provider folders, so that would be an
// import cycle. Type-only imports are erased and fine.
import type { z } from 'zod';
import type { DataMutationResult, MutationRequest, ResourceSpec } from './data';
import type { Route } from './http';
import type { ListingApi, ListingClient } from './listing';
import type { SandboxState } from './state';
import type { Answer, SignedDelivery } from './webhook-delivery';

export interface SandboxAccount {
  /** What the consent page's Account select submits, and the account id the app's identify() reports. */
  readonly id: string;
}

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
}

/** Every OAuth provider's one sandbox client (lib/providers/credentials.ts derives the same). */
export function sandboxClient(provider: string): SandboxClient {
  return { clientId: `sandbox-${provider}`, clientSecret: `sandbox-secret-${provider}` };
}

/** Who the provider is in the sandbox: what the OAuth machinery and its pages need to know. */
export interface ProviderProfile<Id extends string = string, A extends SandboxAccount = SandboxAccount> {
  /** The same id as the app's registry (lib/providers/registry.ts). */
  readonly id: Id;
  /** As the consent page titles it. */
  readonly name: string;
  /** Fixed accounts (two each), so tests can assert exactly which identity a connection gets; the first is the default. */
  readonly accounts: readonly A[];
  /** What the consent page's Account select shows for an account. */
  label(account: A): string;
}

export function defineProfile<const Id extends string, A extends SandboxAccount>(profile: ProviderProfile<Id, A>): ProviderProfile<Id, A> {
  return profile;
}

export type SandboxAuth<A extends SandboxAccount = SandboxAccount> =
  | {
      kind: 'oauth2';
      /** The scopes the app asks for, so a token minted without the OAuth dance reads every dataset. */
      scopes: readonly string[];
      /** Whether a refresh answer rotates the refresh token by default (the rotateRefreshTokens knob overrides). */
      rotatesRefreshTokens: boolean;
    }
  | {
      kind: 'api_key';
      /** The fields a user types into the app's connect form to reach `account`. */
      credentials(account: A): Record<string, string>;
    };

/**
 * How a deleted record shows in an incremental listing: as a tombstone (a record marked deleted),
 * not at all (the next full listing finds it missing), or as a status change on a record that stays
 * listed (a regular update to a sync).
 */
export type DeletionShape = 'tombstone' | 'vanish' | 'status';

export interface SandboxDataset {
  /** The records: ids, generation, what an edit changes. Its key is '<provider id>.<resource>'. */
  spec: ResourceSpec;
  deletions: DeletionShape;
  /** A reference client paging through a full and an incremental listing as a sync engine would. */
  client(api: ListingApi): ListingClient;
}

/** What a provider's control-API delivery may use besides its own request. */
export interface DeliverKit {
  state: SandboxState;
  /** Changes the provider's data as POST /_sandbox/data does. */
  mutate(input: MutationRequest): DataMutationResult;
}

export interface DeliverResult {
  deliveries: Answer[];
  mutation?: DataMutationResult;
  body?: unknown;
}

/** POST /_sandbox/webhooks/deliver with { provider: <id>, ... }: the request's schema and how it is sent. */
export interface WebhookDeliverer {
  /** A z.object whose `provider` is z.literal(<id>); the deliver endpoint accepts the union of all of them. */
  schema: z.ZodObject<{ provider: z.ZodLiteral<string> } & z.ZodRawShape>;
  send(kit: DeliverKit, request: unknown): Promise<DeliverResult>;
}

export function defineDeliverer<S extends z.ZodObject<{ provider: z.ZodLiteral<string> } & z.ZodRawShape>>(
  schema: S,
  send: (kit: DeliverKit, request: z.output<S>) => Promise<DeliverResult>,
): WebhookDeliverer {
  return { schema, send: (kit, request) => send(kit, request as z.output<S>) };
}

export interface SampleDeliveryOptions<A extends SandboxAccount = SandboxAccount> {
  /** Where the app receives this provider's webhooks (signed into the delivery where the provider signs the URL). */
  url: string;
  /** Whose event it is; default the provider's first account. */
  account?: A;
  /** Signs with this secret instead of the sandbox's. */
  secret?: string;
  /** The signed time (where the scheme signs one); default now. */
  timestampMs?: number;
}

export interface SandboxWebhooks<A extends SandboxAccount = SandboxAccount> {
  /** The header a `tamper: 'signature'` breaks: where the signature (or the shared token) travels. */
  signatureHeader: string;
  /**
   * One sample delivery signed exactly as the provider signs it, for contract tests: the app's
   * webhook scheme must accept it and reject it tampered (tamperDelivery in webhook-delivery.ts).
   */
  sample(state: SandboxState, options: SampleDeliveryOptions<A>): SignedDelivery;
  deliver?: WebhookDeliverer;
  /** GET /_sandbox/webhooks/<name> read-outs (e.g. the push channels the app opened). */
  control?: Record<string, (state: SandboxState) => unknown>;
}

export interface SandboxProvider<
  Id extends string = string,
  A extends SandboxAccount = SandboxAccount,
  R extends string = string,
  E extends string = string,
> extends ProviderProfile<Id, A> {
  auth: SandboxAuth<A>;
  /** Every endpoint it plays: OAuth, identity, revocation, data, webhook subscriptions. */
  routes: readonly Route[];
  /** Its datasets by resource (the app's SyncResource ids); {} when nothing syncs. */
  datasets: Record<R, SandboxDataset>;
  /** Data endpoints counted in stats.dataRequests and open to page faults besides the datasets (e.g. a calendar list). */
  endpoints: readonly E[];
  /** Headers every API call needs besides the bearer token (e.g. an API version). */
  apiHeaders?: Readonly<Record<string, string>>;
  /** Absent when the provider sends no webhooks. */
  webhooks?: SandboxWebhooks<A>;
}

export function defineSandboxProvider<const Id extends string, A extends SandboxAccount, const R extends string, const E extends string = never>(
  provider: SandboxProvider<Id, A, R, E>,
): SandboxProvider<Id, A, R, E> {
  return provider;
}
