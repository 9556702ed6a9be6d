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
