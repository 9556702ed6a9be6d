// In-process access to a running sandbox's state, for tests: change the provider's data, count it,
// and mint access tokens without the OAuth dance. Only sandboxes from startSandbox() qualify.
import { ACCOUNTS, sandboxClient, type ProviderId } from './accounts';
import { applyMutation, dataCounts, type DataMutation, type DataMutationResult } from './data-control';
import type { Sandbox } from './server';
import type { SandboxState } from './state';

const STATES = new WeakMap<Sandbox, SandboxState>();

export function bindState(sandbox: Sandbox, state: SandboxState): void {
  STATES.set(sandbox, state);
}

function stateOf(sandbox: Sandbox): SandboxState {
  const state = STATES.get(sandbox);
  if (!state) throw new Error('Not a sandbox started by startSandbox() in this process.');
  return state;
}

/**
 * Changes the provider side as POST /_sandbox/data does: creates `create` records, updates and
 * deletes the first N live ones (in id order) or the named ids. Throws DataControlError (or a
 * ZodError) on a bad request.
 */
export function mutateData(sandbox: Sandbox, input: DataMutation): DataMutationResult {
  return applyMutation(stateOf(sandbox), input);
}

/** Live and deleted records of one dataset, as GET /_sandbox/data answers. */
export function dataCountsOf(sandbox: Sandbox, query: { provider: string; resource: string; account?: string }): { live: number; deleted: number } {
  return dataCounts(stateOf(sandbox), query);
}

/** The scopes the app asks for, so a minted token can read every dataset. */
const DATA_SCOPES: Record<ProviderId, string[]> = {
  'google-calendar': ['https://www.googleapis.com/auth/calendar.readonly'],
  salesforce: ['api', 'refresh_token'],
  hubspot: ['oauth', 'crm.objects.contacts.read', 'crm.objects.deals.read'],
  square: ['MERCHANT_PROFILE_READ', 'CUSTOMERS_READ', 'APPOINTMENTS_READ', 'APPOINTMENTS_ALL_READ'],
  fresha: ['clients:read', 'appointments:read'],
};

/**
 * An access token for an account, as if it had connected. Defaults: the provider's first account,
 * the scopes the app requests, one hour.
 */
export function issueAccessToken(
  sandbox: Sandbox,
  options: { provider: ProviderId; account?: string; scopes?: string[]; ttlSeconds?: number },
): string {
  const state = stateOf(sandbox);
  const { provider } = options;
  const accountId = options.account ?? ACCOUNTS[provider][0].id;
  if (!ACCOUNTS[provider].some((account) => account.id === accountId)) throw new Error(`No ${provider} sandbox account ${accountId}`);
  const grant = state.createGrant({
    provider,
    accountId,
    clientId: sandboxClient(provider).clientId,
    scopes: options.scopes ?? DATA_SCOPES[provider],
    offline: false,
  });
  return state.mint(grant, 'access', options.ttlSeconds ?? 3600).token;
}
