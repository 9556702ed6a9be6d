// Drives a whole OAuth handshake against the provider sandbox the way a browser would:
// start → follow the authorize redirect (auto-approve) → hand the callback query to the app.
import type { SessionUser } from '@/lib/auth/session-token';
import type { Db } from '@/lib/db/engine';
import { completeAuthorization, type CallbackOutcome } from '@/lib/oauth/callback';
import { startAuthorization } from '@/lib/oauth/start';

export interface Handshake {
  callbackQuery: URLSearchParams;
  stateCookie: string;
}

export async function authorizeAtSandbox(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  providerId: string,
  connectionId?: string,
): Promise<Handshake> {
  const { authorizeUrl, stateCookie } = await startAuthorization(db, user, {
    providerId,
    workspaceId,
    connectionId,
    origin: 'http://hub.test',
  });
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`sandbox authorize answered ${response.status}: ${await response.text()}`);
  const location = new URL(response.headers.get('location')!);
  return { callbackQuery: location.searchParams, stateCookie };
}

export function finish(db: Db, user: SessionUser | null, providerId: string, handshake: Handshake, cookies?: string[]) {
  return completeAuthorization(db, {
    providerId,
    query: handshake.callbackQuery,
    user,
    cookieNames: new Set(cookies ?? [handshake.stateCookie]),
  });
}

export async function connectViaSandbox(db: Db, user: SessionUser, workspaceId: string, providerId: string, connectionId?: string) {
  const outcome: CallbackOutcome = await finish(db, user, providerId, await authorizeAtSandbox(db, user, workspaceId, providerId, connectionId));
  if (!outcome.ok) throw new Error(`connect ${providerId} failed: ${outcome.reason} ${outcome.detail ?? ''}`);
  return outcome;
}
