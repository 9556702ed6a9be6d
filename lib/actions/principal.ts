// Who is calling the public API, the MCP endpoint or the Try it panel: a workspace API key, or a
// signed-in owner or admin of the workspace (the in-app console), who may do everything a key of
// any scope may.
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import type { ApiKeyIdentity } from '../api-keys/keys';
import { API_SCOPES, type ApiScope } from '../api-keys/scopes';
import { inWorkspace } from '../workspaces/access';

export interface ApiPrincipal {
  kind: 'api_key' | 'user';
  workspaceId: string;
  scopes: readonly ApiScope[];
  /** Set for keys. */
  apiKeyId: string | null;
  /** Set for signed-in people. */
  userId: string | null;
  /** What rate limits count by: `key:<id>` or `user:<id>`. */
  id: string;
  /** For messages: the key's name and prefix, or the person's email. */
  label: string;
}

export function principalForKey(key: ApiKeyIdentity): ApiPrincipal {
  return {
    kind: 'api_key',
    workspaceId: key.workspaceId,
    scopes: key.scopes,
    apiKeyId: key.keyId,
    userId: null,
    id: `key:${key.keyId}`,
    label: `${key.name} (${key.prefix}…)`,
  };
}

/** A signed-in person as a principal, once RLS confirmed they own or administer the workspace (else 404/403). */
export async function principalForUser(db: Db, user: SessionUser, workspaceId: string): Promise<ApiPrincipal> {
  await inWorkspace(db, user, workspaceId, 'admin', async () => undefined);
  return {
    kind: 'user',
    workspaceId,
    scopes: API_SCOPES,
    apiKeyId: null,
    userId: user.userId,
    id: `user:${user.userId}`,
    label: user.email,
  };
}

export function hasScope(principal: ApiPrincipal, scope: ApiScope): boolean {
  return principal.scopes.includes(scope);
}
