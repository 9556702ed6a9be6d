// Absolute links in notification mail. Jobs have no request, so the base is the configured origin
// (APP_URL), never a Host header. Without APP_URL (development, tests, the embedded demo) it is this
// server on localhost at the port it listens on (`next start`/`next dev` put it in PORT).
import { defaultLinkBase, mailTransportKind } from '../mail/config';

let warned = false;

export function linkBase(): string {
  if (process.env.APP_URL) return defaultLinkBase();
  if (process.env.NODE_ENV === 'production' && mailTransportKind() === 'smtp' && !warned) {
    warned = true;
    console.warn('Integration Hub: APP_URL is not set, so links in notification mail point at localhost. Set APP_URL to this app’s public address.');
  }
  const port = process.env.PORT;
  return port && /^\d{1,5}$/.test(port) ? `http://localhost:${port}` : defaultLinkBase();
}

export function absoluteUrl(path: string): string {
  return `${linkBase()}${path}`;
}

/** Where a member changes how they are notified (the Settings section's anchor). */
export function preferencesPath(workspaceId: string): string {
  return `/w/${workspaceId}/settings#notifications`;
}
