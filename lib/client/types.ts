// Shapes of the JSON API's answers as the browser sees them. They are derived from the server's
// own types (type-only imports, erased from the bundle) with dates turned into ISO strings, so the
// two cannot drift apart.
import type { ActivityEntry as ActivityRow } from '@/lib/db/schema';
import type { ConnectionView } from '@/lib/connections/connections';
import type { CatalogEntry, Availability as CatalogAvailability } from '@/lib/providers/catalog';
import type { ProviderCategory as Category } from '@/lib/providers/types';
import type { InvitationView, MemberView } from '@/lib/workspaces/members';
import type { WorkspaceSummary as WorkspaceRow } from '@/lib/workspaces/workspaces';
import type { Role as ServerRole } from '@/lib/db/schema';

/** What JSON.stringify makes of a value: Dates become strings, everything else keeps its shape. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

export type Role = ServerRole;

export const ROLE_ORDER: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

export type WorkspaceSummary = Jsonified<WorkspaceRow>;
export type Member = Jsonified<MemberView>;
export type Invitation = Jsonified<InvitationView>;

export interface MembersResponse {
  members: Member[];
  invitations: Invitation[];
  myRole: Role;
}

export type ActivityEntry = Jsonified<ActivityRow>;

export interface ActivityResponse {
  entries: ActivityEntry[];
  total: number;
  /** The count stopped at its cap: show "10,000+". */
  totalCapped: boolean;
  pageSize: number;
  nextCursor: string | null;
  prevCursor: string | null;
  actors: { id: string; email: string | null }[];
  actions: string[];
}

export type ProviderCategory = Category;

export type Availability = CatalogAvailability;

/** One provider in the catalog (GET /api/providers), as lib/providers/catalog.ts builds it. */
export type CatalogProvider = Jsonified<CatalogEntry>;

export interface ProvidersResponse {
  providers: CatalogProvider[];
}

export type ConnectionStatus = ConnectionView['status'];

export type ConnectionSchedule = ConnectionView['schedule'];

/** A workspace's connection to one provider account (never includes credentials). */
export type Connection = Jsonified<ConnectionView>;

export interface ConnectionsResponse {
  connections: Connection[];
}

export interface ConnectionResponse {
  connection: Connection;
}

export type Revocation = 'revoked' | 'not_supported' | 'failed' | 'no_credentials';

export interface DisconnectResponse {
  revocation: Revocation;
  connection: Connection;
}

export interface ConnectionTestResponse {
  ok: boolean;
  message: string;
  connection: Connection;
}
