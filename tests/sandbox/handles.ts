// In-process access to a running sandbox's state, for tests: change the provider's data, count it,
// mint access tokens without the OAuth dance, see what became of a token, and produce a webhook
// delivery signed as the provider signs it. Only sandboxes from startSandbox() qualify.
import { ACCOUNTS, sandboxClient, sandboxProvider, type ProviderId } from './accounts';
import { applyMutation, dataCounts, type DataMutation, type DataMutationResult } from './data-control';
import type { SampleDeliveryOptions } from './provider';
import type { Sandbox } from './server';
import type { SandboxState } from './state';
import type { SignedDelivery } from './webhook-delivery';

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

/**
 * An access token for an account, as if it had connected. Defaults: the provider's first account,
 * the scopes the app requests, one hour. OAuth providers only.
 */
export function issueAccessToken(
  sandbox: Sandbox,
  options: { provider: ProviderId; account?: string; scopes?: string[]; ttlSeconds?: number },
): string {
  const state = stateOf(sandbox);
  const { provider } = options;
  const { auth } = sandboxProvider(provider);
  if (auth.kind !== 'oauth2') throw new Error(`${provider} connects with an API key: the sandbox issues it no tokens.`);
  const accountId = options.account ?? ACCOUNTS[provider][0].id;
  if (!ACCOUNTS[provider].some((account) => account.id === accountId)) throw new Error(`No ${provider} sandbox account ${accountId}`);
  const grant = state.createGrant({
    provider,
    accountId,
    clientId: sandboxClient(provider).clientId,
    scopes: options.scopes ?? [...auth.scopes],
    offline: false,
  });
  return state.mint(grant, 'access', options.ttlSeconds ?? 3600).token;
}

/**
 * Every token the sandbox has issued since it was last reset (access and refresh, live or not),
 * with the provider and account it was issued for, in the order it issued them.
 */
export function issuedTokens(sandbox: Sandbox): { token: string; kind: 'access' | 'refresh'; provider: string; accountId: string }[] {
  const state = stateOf(sandbox);
  return [...state.tokens.values()].flatMap((issued) => {
    const grant = state.grants.get(issued.grantId);
    return grant ? [{ token: issued.token, kind: issued.kind, provider: grant.provider, accountId: grant.accountId }] : [];
  });
}

/** What became of a token the sandbox issued: 'unknown' when it never issued it. */
export function tokenStatus(sandbox: Sandbox, token: string): 'live' | 'revoked' | 'expired' | 'unknown' {
  const state = stateOf(sandbox);
  const issued = state.tokens.get(token);
  const grant = issued && state.grants.get(issued.grantId);
  if (!issued || !grant) return 'unknown';
  const checked = state.check(token, grant.provider, issued.kind);
  return checked.ok ? 'live' : checked.reason === 'unknown' ? 'unknown' : checked.reason;
}

/**
 * One delivery signed exactly as the provider signs its webhooks, of a sample event for the
 * account (default its first), to post to the app's webhook URL; undefined when the provider sends
 * no webhooks. Break it with tamperDelivery (webhook-delivery.ts) to check the app refuses it.
 */
export function signedDelivery(
  sandbox: Sandbox,
  options: { provider: ProviderId; account?: string } & Omit<SampleDeliveryOptions, 'account'>,
): SignedDelivery | undefined {
  const { provider, account: accountId, ...rest } = options;
  const registration = sandboxProvider(provider);
  if (!registration.webhooks) return undefined;
  const account = accountId === undefined ? registration.accounts[0] : registration.accounts.find((a) => a.id === accountId);
  if (!account) throw new Error(`No ${provider} sandbox account ${accountId}`);
  return registration.webhooks.sample(stateOf(sandbox), { ...rest, account });
}
