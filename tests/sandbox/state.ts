// Everything the sandbox remembers: knobs, counters, authorization codes and the grants and
// tokens issued from them. In memory only; reset() forgets it all.
import crypto from 'node:crypto';
import { DataStore } from './data';

// This file is one of the shared building blocks provider folders import, so it knows no provider:
// knobs and counters are keyed by plain strings here, and knobs.ts (which reads the registry)
// narrows them to the registered provider ids and datasets for tests.

export type FailureKind = 'invalid_grant' | 'server_error' | 'temporarily_unavailable';

export interface PageFaultTarget<P extends string = string> {
  provider: P;
  resource: string;
  /** 1-based page index within one listing. */
  page: number;
  /** How many requests for that page fail before one succeeds (default 1). */
  times?: number;
}

/** The knobs, keyed by provider id (P) and dataset key (D). */
export interface Knobs<P extends string = string, D extends string = string> {
  autoApprove?: boolean;
  accessTokenTtlSeconds?: number;
  /** Delays every token-endpoint response (concurrency tests). */
  tokenDelayMs?: number;
  /** Delays every provider response (not the control API), to make progress watchable. */
  responseDelayMs?: number;
  /** One-shot per provider, consumed by that provider's next token request. */
  failNextToken?: Partial<Record<P, FailureKind>>;
  /** Defaults to what the provider does (its registration's auth.rotatesRefreshTokens). */
  rotateRefreshTokens?: Partial<Record<P, boolean>>;
  /** Forces the identity endpoint to answer this status. */
  identityStatus?: Partial<Record<P, number>>;
  /** Records per dataset (default 120), read when the dataset is first used; a new size rebuilds it. */
  dataset?: Partial<Record<D, number>>;
  /** That page of any listing of that resource answers `status` (the provider's error shape). */
  failPage?: PageFaultTarget<P> & { status: number };
  /** That page answers 429 in the provider's shape with Retry-After. */
  rateLimitPage?: PageFaultTarget<P> & { retryAfterSeconds: number };
  /** Every request carrying a sync token (where a provider issues them) answers 410 until cleared. */
  expireSyncTokens?: boolean;
  /** The provider's next N writes commit and then lose their response (the connection closes unanswered). */
  dropResponseAfterWrite?: Partial<Record<P, number>>;
  /** How long a record the provider created takes to reach its search index (HubSpot: "seconds"). */
  searchLagMs?: Partial<Record<P, number>>;
  /**
   * Requested scopes the consent leaves out of the grant, as a user unticking an optional scope
   * (or Google's granular consent) does; the token answer then reports the narrower grant.
   */
  withholdScopes?: Partial<Record<P, string[]>>;
}

export type GrantType = 'authorization_code' | 'refresh_token';

/** The counters, keyed by provider id (P) and data endpoint (E). */
export interface Stats<P extends string = string, E extends string = string> {
  tokenRequests: Record<P, Record<GrantType, number>>;
  revocations: Record<P, number>;
  identityRequests: Record<P, number>;
  /** Data pages requested per endpoint (after auth and parameter checks), injected failures included. */
  dataRequests: Record<E, number>;
}

/** What the state counts and defaults per provider: built from the registry by knobs.ts. */
export interface StateCatalog {
  providers: readonly string[];
  /** Every data endpoint ('<provider>.<resource>') counted in stats.dataRequests. */
  endpoints: readonly string[];
  /** Whether the provider rotates refresh tokens when the rotateRefreshTokens knob says nothing. */
  rotatesByDefault(provider: string): boolean;
}

export interface AuthorizationCode {
  code: string;
  provider: string;
  accountId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  scopes: string[];
  /** Whether redeeming it yields a refresh token (some providers need an offline parameter or scope). */
  offline: boolean;
  expiresAt: number;
  /** Set once redeemed; a second redemption revokes this grant (RFC 6749 §4.1.2). */
  grantId?: string;
}

export interface Grant {
  id: string;
  provider: string;
  accountId: string;
  clientId: string;
  scopes: string[];
  offline: boolean;
}

export interface IssuedToken {
  token: string;
  kind: 'access' | 'refresh';
  grantId: string;
  issuedAt: number;
  expiresAt?: number;
  revoked: boolean;
}

export type TokenCheck =
  | { ok: true; token: IssuedToken; grant: Grant }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

function emptyStats(catalog: StateCatalog): Stats {
  const perProvider = <T>(make: () => T) => Object.fromEntries(catalog.providers.map((id) => [id, make()])) as Record<string, T>;
  return {
    tokenRequests: perProvider(() => ({ authorization_code: 0, refresh_token: 0 })),
    revocations: perProvider(() => 0),
    identityRequests: perProvider(() => 0),
    dataRequests: Object.fromEntries(catalog.endpoints.map((key) => [key, 0])),
  };
}

export function randomToken(prefix: string): string {
  return `${prefix}${crypto.randomBytes(24).toString('base64url')}`;
}

export class SandboxState {
  readonly knobs: Knobs = {};
  stats: Stats;
  readonly codes = new Map<string, AuthorizationCode>();
  readonly grants = new Map<string, Grant>();
  readonly tokens = new Map<string, IssuedToken>();
  /** provider:account pairs that have consented once (a provider may send a refresh token only the first time). */
  readonly consented = new Set<string>();
  /** Provider-side records, the logical clock and open listings (see data.ts). */
  readonly data = new DataStore();

  constructor(private readonly catalog: StateCatalog) {
    this.stats = emptyStats(catalog);
  }

  reset(): void {
    for (const key of Object.keys(this.knobs)) delete (this.knobs as Record<string, unknown>)[key];
    this.stats = emptyStats(this.catalog);
    this.codes.clear();
    this.grants.clear();
    this.tokens.clear();
    this.consented.clear();
    this.data.clear();
  }

  snapshotStats(): Stats {
    return structuredClone(this.stats);
  }

  accessTokenTtl(providerDefaultSeconds: number): number {
    return this.knobs.accessTokenTtlSeconds ?? providerDefaultSeconds;
  }

  rotates(id: string): boolean {
    return this.knobs.rotateRefreshTokens?.[id] ?? this.catalog.rotatesByDefault(id);
  }

  /** Returns and clears the provider's one-shot failure, if any. */
  takeFailure(id: string): FailureKind | undefined {
    const failure = this.knobs.failNextToken?.[id];
    if (failure && this.knobs.failNextToken) delete this.knobs.failNextToken[id];
    return failure;
  }

  /** The status the identityStatus knob forces on the provider's identity endpoint, if any. */
  forcedIdentityStatus(id: string): number | undefined {
    return this.knobs.identityStatus?.[id];
  }

  countTokenRequest(id: string, grantType: GrantType): void {
    this.stats.tokenRequests[id][grantType] += 1;
  }

  countRevocation(id: string): void {
    this.stats.revocations[id] += 1;
  }

  countIdentityRequest(id: string): void {
    this.stats.identityRequests[id] += 1;
  }

  /** Counts one data page requested from an endpoint ('<provider>.<resource>', registered by its provider). */
  countDataRequest(endpoint: string): void {
    if (!(endpoint in this.stats.dataRequests)) throw new Error(`${endpoint} is not a registered data endpoint`);
    this.stats.dataRequests[endpoint] += 1;
  }

  issueCode(code: Omit<AuthorizationCode, 'code' | 'expiresAt' | 'grantId'>, lifetimeSeconds: number): string {
    const value = randomToken(`sbx_code_${code.provider}_`);
    this.codes.set(value, { ...code, code: value, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return value;
  }

  createGrant(grant: Omit<Grant, 'id'>): Grant {
    const created = { ...grant, id: crypto.randomUUID() };
    this.grants.set(created.id, created);
    return created;
  }

  mint(grant: Grant, kind: IssuedToken['kind'], lifetimeSeconds?: number): IssuedToken {
    const now = Date.now();
    const token: IssuedToken = {
      token: randomToken(kind === 'access' ? `sbx_at_${grant.provider}_` : `sbx_rt_${grant.provider}_`),
      kind,
      grantId: grant.id,
      issuedAt: now,
      expiresAt: lifetimeSeconds === undefined ? undefined : now + lifetimeSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  /** A token of this provider and kind, live or with the reason it is not. */
  check(value: string | undefined, id: string, kind: IssuedToken['kind']): TokenCheck {
    const token = value ? this.tokens.get(value) : undefined;
    const grant = token ? this.grants.get(token.grantId) : undefined;
    if (!token || !grant || token.kind !== kind || grant.provider !== id) return { ok: false, reason: 'unknown' };
    if (token.revoked) return { ok: false, reason: 'revoked' };
    if (token.expiresAt !== undefined && Date.now() >= token.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, token, grant };
  }

  /** Revokes every token of a grant, or only its access tokens. */
  revokeGrant(grantId: string, only?: IssuedToken['kind']): void {
    for (const token of this.tokens.values()) {
      if (token.grantId === grantId && (!only || token.kind === only)) token.revoked = true;
    }
  }
}
