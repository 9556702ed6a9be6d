// Where the browser goes after the callback, and what the page there says.
import type { CallbackFailure, CallbackOutcome } from './callback';

export const CALLBACK_MESSAGES: Record<CallbackFailure | 'internal', string> = {
  unknown_provider: 'That provider is not available on this server.',
  missing_state: 'The provider sent us back without the state we gave it, so we cannot tell which request this answers. Start the connection again.',
  unknown_state: 'We do not recognise this authorization request. Start the connection again from the catalog.',
  state_reused: 'This authorization response was already used. Each one works once; start the connection again.',
  state_expired: 'The authorization took longer than 10 minutes and expired. Start the connection again.',
  state_mismatch: 'The authorization response came back to the wrong provider. Start the connection again.',
  not_signed_in: 'Your session ended during the authorization. Sign in and start the connection again.',
  state_other_user: 'This authorization was started by another user, so it cannot be completed from your account.',
  state_other_browser: 'This authorization was started in another browser. Start it again from this one.',
  workspace_access: 'You are no longer an admin of the workspace this connection was for.',
  access_denied: 'The provider says access was denied, so nothing was connected.',
  provider_error: 'The provider reported an error, so nothing was connected.',
  missing_code: 'The provider sent us back without an authorization code. Start the connection again.',
  exchange_failed: 'The provider did not accept the authorization code, so nothing was connected.',
  account_mismatch: 'You signed in to a different account than the one this connection uses.',
  not_configured: 'This provider is not configured on this server any more.',
  internal: 'Something went wrong on our side while finishing the connection.',
};

export function callbackRedirect(outcome: CallbackOutcome): string {
  if (outcome.ok) return `/w/${outcome.workspaceId}/integrations/${outcome.connectionId}?connected=1`;
  const query = new URLSearchParams({ oauth_error: outcome.reason });
  if (outcome.detail) query.set('detail', outcome.detail);
  return outcome.workspaceId ? `/w/${outcome.workspaceId}/integrations?${query}` : `/oauth/error?${query}`;
}
