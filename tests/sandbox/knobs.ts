// The registry's view of the sandbox state: every dataset and data endpoint the registered
// providers serve, the knobs and counters keyed by them, the knobs patch POST /_sandbox/knobs
// accepts, and a fresh state counting exactly the registered providers.
import { z } from 'zod';
import { PROVIDER_IDS, PROVIDERS, sandboxProvider, type ProviderId } from './accounts';
import type { SANDBOX_PROVIDERS } from './providers/registry';
import { SandboxState, type Knobs, type Stats } from './state';

type Registered = (typeof SANDBOX_PROVIDERS)[number];
/** Every dataset the sandbox serves, as '<provider>.<resource>'. */
export type DataKey = { [P in Registered as P['id']]: `${P['id']}.${Extract<keyof P['datasets'], string>}` }[ProviderId];
/** What page faults and dataRequests name: the datasets, plus any other endpoint a provider pages (e.g. a calendar list). */
export type DataEndpoint = DataKey | { [P in Registered as P['id']]: `${P['id']}.${P['endpoints'][number]}` }[ProviderId];

export const DATA_KEYS = PROVIDERS.flatMap((provider) => Object.keys(provider.datasets).map((resource) => `${provider.id}.${resource}`)) as unknown as readonly [
  DataKey,
  ...DataKey[],
];
export const DATA_ENDPOINTS = [
  ...DATA_KEYS,
  ...PROVIDERS.flatMap((provider) => provider.endpoints.map((endpoint) => `${provider.id}.${endpoint}`)),
] as unknown as readonly [DataEndpoint, ...DataEndpoint[]];

export type SandboxKnobs = Knobs<ProviderId, DataKey>;
export type SandboxStats = Stats<ProviderId, DataEndpoint>;

export function newSandboxState(): SandboxState {
  return new SandboxState({
    providers: PROVIDER_IDS,
    endpoints: DATA_ENDPOINTS,
    rotatesByDefault(id) {
      const { auth } = sandboxProvider(id);
      return auth.kind === 'oauth2' && auth.rotatesRefreshTokens;
    },
  });
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
  dropResponseAfterWrite: z.partialRecord(provider, z.number().int().min(1).max(100).nullable()).nullish(),
  searchLagMs: z.partialRecord(provider, z.number().int().min(0).max(600_000).nullable()).nullish(),
  withholdScopes: z.partialRecord(provider, z.array(z.string().min(1)).nullable()).nullish(),
});
export type KnobsPatch = z.infer<typeof knobsPatchSchema>;

const RECORD_KNOBS = ['failNextToken', 'rotateRefreshTokens', 'identityStatus', 'dataset', 'dropResponseAfterWrite', 'searchLagMs', 'withholdScopes'] as const;
/** Replaced whole (the fault knobs are objects, but one fault at a time). */
const SCALAR_KNOBS = ['autoApprove', 'accessTokenTtlSeconds', 'tokenDelayMs', 'responseDelayMs', 'failPage', 'rateLimitPage', 'expireSyncTokens'] as const;

/** Mutates `knobs` in place: tests hold a reference to the same object. */
export function mergeKnobs(knobs: Knobs, patch: KnobsPatch): void {
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
