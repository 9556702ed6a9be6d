// Shapes of the JSON API's answers as the browser sees them (dates arrive as ISO strings).
export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export const ROLE_ORDER: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

export interface WorkspaceSummary {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  displayName: string | null;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface MembersResponse {
  members: Member[];
  invitations: Invitation[];
  myRole: Role;
}

export interface ActivityEntry {
  id: string;
  workspaceId: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

export interface ActivityResponse {
  entries: ActivityEntry[];
  total: number;
  page: number;
  pageSize: number;
  actors: { id: string; email: string | null }[];
  actions: string[];
}

export type ProviderCategory = 'Calendar' | 'CRM' | 'Booking' | 'Email' | 'Developer';

export type Availability = 'configured' | 'sandbox' | 'unavailable';

/** One provider in the catalog (GET /api/providers), as lib/providers/catalog.ts builds it. */
export interface CatalogProvider {
  id: string;
  name: string;
  category: ProviderCategory;
  description: string;
  color: string;
  initials: string;
  capabilities: string[];
  resources: { id: string; label: string }[];
  webhooks: { scheme: string; note: string };
  unverified: string | null;
  docsUrl: string;
  authKind: 'oauth2' | 'api_key';
  apiKeyFields: { name: string; label: string; secret: boolean; help: string | null }[];
  availability: Availability;
}

export interface ProvidersResponse {
  providers: CatalogProvider[];
}

export type ConnectionStatus = 'pending' | 'active' | 'paused' | 'error' | 'needs_reauth' | 'disconnected';

export type ConnectionSchedule = 'manual' | 'every_15_minutes' | 'hourly' | 'daily';

/** A workspace's connection to one provider account (never includes credentials). */
export interface Connection {
  id: string;
  provider: string;
  providerName: string;
  displayName: string;
  status: ConnectionStatus;
  statusReason: string | null;
  accountId: string | null;
  accountLabel: string | null;
  environment: 'live' | 'sandbox';
  scopes: string[];
  resources: string[];
  schedule: ConnectionSchedule;
  identity: Record<string, string>;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  connectedAt: string | null;
  pausedAt: string | null;
  disconnectedAt: string | null;
  createdAt: string;
}

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
