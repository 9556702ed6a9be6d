// Everything the sandbox remembers: knobs, counters, authorization codes and the grants and
// tokens issued from them. In memory only; reset() forgets it all.
import crypto from 'node:crypto';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from './accounts';
import { DataStore } from './data';

export type FailureKind = 'invalid_grant' | 'server_error' | 'temporarily_unavailable';

/** Every dataset the sandbox serves, as '<provider>.<resource>'. */
export const DATA_KEYS = [
  'google-calendar.events',
  'salesforce.contacts',
  'salesforce.opportunities',
  'hubspot.contacts',
  'hubspot.deals',
  'square.customers',
  'square.bookings',
  'fresha.clients',
  'fresha.appointments',
] as const;
export type DataKey = (typeof DATA_KEYS)[number];
/** What page faults and dataRequests name: the datasets, plus Google's calendar list. */
export const DATA_ENDPOINTS = [...DATA_KEYS, 'google-calendar.calendars'] as const;
export type DataEndpoint = (typeof DATA_ENDPOINTS)[number];

export interface PageFaultTarget {
  provider: ProviderId;
  resource: string;
  /** 1-based page index within one listing. */
  page: number;
  /** How many requests for that page fail before one succeeds (default 1). */
  times?: number;
}

export interface SandboxKnobs {
  autoApprove?: boolean;
  accessTokenTtlSeconds?: number;
  /** Delays every token-endpoint response (concurrency tests). */
  tokenDelayMs?: number;
  /** Delays every provider response (not the control API), to make progress watchable. */
  responseDelayMs?: number;
  /** One-shot per provider, consumed by that provider's next token request. */
  failNextToken?: Partial<Record<ProviderId, FailureKind>>;
  /** Square defaults to true (its PKCE flow rotates); the others to false. */
  rotateRefreshTokens?: Partial<Record<ProviderId, boolean>>;
  /** Forces the identity endpoint to answer this status. */
  identityStatus?: Partial<Record<ProviderId, number>>;
  /** Records per dataset (default 120), read when the dataset is first used; a new size rebuilds it. */
  dataset?: Partial<Record<DataKey, number>>;
  /** That page of any listing of that resource answers `status` (the provider's error shape). */
  failPage?: PageFaultTarget & { status: number };
  /** That page answers 429 in the provider's shape with Retry-After. */
  rateLimitPage?: PageFaultTarget & { retryAfterSeconds: number };
  /** Google: every request carrying a sync token answers 410 until cleared. */
  expireSyncTokens?: boolean;
}

export type GrantType = 'authorization_code' | 'refresh_token';

export interface SandboxStats {
  tokenRequests: Record<ProviderId, Record<GrantType, number>>;
  revocations: Record<ProviderId, number>;
  identityRequests: Record<ProviderId, number>;
  /** Data pages requested per endpoint (after auth and parameter checks), injected failures included. */
  dataRequests: Record<DataEndpoint, number>;
}

const provider = z.enum(PROVIDER_IDS);
const faultTarget = {
  provider,
  resource: z.string(),
  page: z.number().int().min(1),
  times: z.number().int().min(1).optional(),
};
const endpointExists = (fault: { provider: string; resource: string }) =>
  (DATA_ENDPOINTS as readonly string[]).includes(`${fault.provider}.${fault.resource}`);
const unknownEndpoint = { message: `provider.resource must be one of ${DATA_ENDPOINTS.join(', ')}` };
/** A knobs patch: keys merge into the current knobs; null clears a knob (or one provider's entry). */
export const knobsPatchSchema = z.strictObject({
  autoApprove: z.boolean().nullish(),
  accessTokenTtlSeconds: z.number().int().min(0).nullish(),
  tokenDelayMs: z.number().int().min(0).max(120_000).nullish(),
  responseDelayMs: z.number().int().min(0).max(10_000).nullish(),
  failNextToken: z.partialRecord(provider, z.enum(['invalid_grant', 'server_error', 'temporarily_unavailable']).nullable()).nullish(),
  rotateRefreshTokens: z.partialRecord(provider, z.boolean().nullable()).nullish(),
  identityStatus: z.partialRecord(provider, z.number().int().min(100).max(599).nullable()).nullish(),
  dataset: z.partialRecord(z.enum(DATA_KEYS), z.number().int().min(0).max(1_000_000).nullable()).nullish(),
  failPage: z
    .strictObject({ ...faultTarget, status: z.number().int().min(400).max(599) })
    .refine(endpointExists, unknownEndpoint)
    .nullish(),
  rateLimitPage: z
    .strictObject({ ...faultTarget, retryAfterSeconds: z.number().int().min(0).max(3600) })
    .refine(endpointExists, unknownEndpoint)
    .nullish(),
  expireSyncTokens: z.boolean().nullish(),
});
export type KnobsPatch = z.infer<typeof knobsPatchSchema>;

const RECORD_KNOBS = ['failNextToken', 'rotateRefreshTokens', 'identityStatus', 'dataset'] as const;
/** Replaced whole (the fault knobs are objects, but one fault at a time). */
const SCALAR_KNOBS = ['autoApprove', 'accessTokenTtlSeconds', 'tokenDelayMs', 'responseDelayMs', 'failPage', 'rateLimitPage', 'expireSyncTokens'] as const;

/** Mutates `knobs` in place: tests hold a reference to the same object. */
export function mergeKnobs(knobs: SandboxKnobs, patch: KnobsPatch): void {
  for (const key of SCALAR_KNOBS) {
    if (!(key in patch)) continue;
    const value = patch[key];
    if (value === null || value === undefined) delete knobs[key];
    else (knobs as Record<string, unknown>)[key] = value;
  }
  for (const key of RECORD_KNOBS) {
    if (!(key in patch)) continue;
    const value = patch[key];
    if (value === null || value === undefined) {
      delete knobs[key];
      continue;
    }
    const merged: Record<string, unknown> = { ...knobs[key] };
    for (const [id, entry] of Object.entries(value)) {
      if (entry === null || entry === undefined) delete merged[id];
      else merged[id] = entry;
    }
    (knobs as Record<string, unknown>)[key] = merged;
  }
}

export interface AuthorizationCode {
  code: string;
  provider: ProviderId;
  accountId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  scopes: string[];
  /** Whether redeeming it yields a refresh token (Google: access_type=offline, Salesforce: refresh_token scope). */
  offline: boolean;
  expiresAt: number;
  /** Set once redeemed; a second redemption revokes this grant (RFC 6749 §4.1.2). */
  grantId?: string;
}

export interface Grant {
  id: string;
  provider: ProviderId;
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

function emptyStats(): SandboxStats {
  const perProvider = <T>(make: () => T) => Object.fromEntries(PROVIDER_IDS.map((id) => [id, make()])) as Record<ProviderId, T>;
  return {
    tokenRequests: perProvider(() => ({ authorization_code: 0, refresh_token: 0 })),
    revocations: perProvider(() => 0),
    identityRequests: perProvider(() => 0),
    dataRequests: Object.fromEntries(DATA_ENDPOINTS.map((key) => [key, 0])) as Record<DataEndpoint, number>,
  };
}

export function randomToken(prefix: string): string {
  return `${prefix}${crypto.randomBytes(24).toString('base64url')}`;
}

export class SandboxState {
  readonly knobs: SandboxKnobs = {};
  stats: SandboxStats = emptyStats();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly grants = new Map<string, Grant>();
  readonly tokens = new Map<string, IssuedToken>();
  /** provider:account pairs that have consented once (Google sends a refresh token only the first time). */
  readonly consented = new Set<string>();
  /** Provider-side records, the logical clock and open listings (see data.ts). */
  readonly data = new DataStore();

  reset(): void {
    for (const key of Object.keys(this.knobs)) delete (this.knobs as Record<string, unknown>)[key];
    this.stats = emptyStats();
    this.codes.clear();
    this.grants.clear();
    this.tokens.clear();
    this.consented.clear();
    this.data.clear();
  }

  snapshotStats(): SandboxStats {
    return structuredClone(this.stats);
  }

  accessTokenTtl(providerDefaultSeconds: number): number {
    return this.knobs.accessTokenTtlSeconds ?? providerDefaultSeconds;
  }

  rotates(id: ProviderId): boolean {
    return this.knobs.rotateRefreshTokens?.[id] ?? id === 'square';
  }

  /** Returns and clears the provider's one-shot failure, if any. */
  takeFailure(id: ProviderId): FailureKind | undefined {
    const failure = this.knobs.failNextToken?.[id];
    if (failure && this.knobs.failNextToken) delete this.knobs.failNextToken[id];
    return failure;
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
  check(value: string | undefined, id: ProviderId, kind: IssuedToken['kind']): TokenCheck {
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
