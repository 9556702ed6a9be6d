// Words and URLs for connections that several screens share (catalog, connection page, activity).
import type { CatalogProvider, ConnectionSchedule, ConnectionStatus, Revocation } from './types';

export const STATUS_LABELS: Record<ConnectionStatus, string> = {
  active: 'Active',
  paused: 'Paused',
  error: 'Error',
  needs_reauth: 'Needs reconnect',
  disconnected: 'Disconnected',
  pending: 'Pending',
};

export const SCHEDULE_LABELS: Record<ConnectionSchedule, string> = {
  manual: 'Manual only',
  every_15_minutes: 'Every 15 minutes',
  hourly: 'Every hour',
  daily: 'Once a day',
};

export const REVOCATION_LABELS: Record<Revocation, string> = {
  revoked: 'revoked at the provider',
  not_supported: 'the provider offers no revocation; our copy of the credentials was deleted',
  failed: 'revoking at the provider failed; our copy of the credentials was deleted',
  no_credentials: 'no credentials were stored',
};

/** The provider's name the server put beside its id in activity details; an unknown id shows as given. */
export function providerName(details: Record<string, unknown>): string {
  const { providerName: name, provider: id } = details;
  if (typeof name === 'string' && name) return name;
  return typeof id === 'string' && id ? id : 'a provider';
}

/** Where the page POSTs `{ workspaceId, connectionId? }` to start OAuth; it answers `{ authorizeUrl }`. */
export function oauthStartPath(providerId: string): string {
  return `/api/oauth/${encodeURIComponent(providerId)}/start`;
}

/** `portalId` → "Portal ID", `timeZone` → "Time zone", `instanceHost` → "Instance host". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((word) => (word === 'id' ? 'ID' : word === 'url' ? 'URL' : word));
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Statuses whose reason the person must read (the connection is not working). */
export const isTroubled = (status: ConnectionStatus) => status === 'error' || status === 'needs_reauth';

/** "Connect HubSpot (sandbox)": the accessible name says which provider and whether it is the sandbox. */
export function connectLabel(provider: Pick<CatalogProvider, 'name' | 'availability'>): string {
  return `Connect ${provider.name}${provider.availability === 'sandbox' ? ' (sandbox)' : ''}`;
}
