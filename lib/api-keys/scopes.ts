// What a workspace API key may do. Pure data: the key form, the OpenAPI document and the MCP
// endpoint read it too. `actions:read` and `actions:write` match the action registry
// (lib/actions/schemas.ts scopeOf); `records:read` reads a connection's stored records.
export const API_SCOPES = ['actions:read', 'actions:write', 'records:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'actions:read': 'Run read actions (look up contacts, find free slots) and read the action log',
  'actions:write': 'Run write actions (create contacts, book, cancel and reschedule appointments)',
  'records:read': "Read connections' synced records with their mapped output",
};

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value);
}

/** The form of a key's secret: `ihk_` and 32 random bytes in base64url (43 characters). */
export const API_KEY_PATTERN = /^ihk_[A-Za-z0-9_-]{43}$/;
/** How much of a key is stored in clear and shown in lists, to tell keys apart. */
export const API_KEY_PREFIX_LENGTH = 12;
