// Mirrors the API's rules so the UI only offers what will succeed; the server still decides.
import type { Member, Role } from '@/lib/client/types';

export const isAdmin = (role: Role) => role === 'owner' || role === 'admin';

/** Roles the current user may hand out: owners grant anything, admins anything but owner. */
export function grantableRoles(myRole: Role): Role[] {
  if (myRole === 'owner') return ['owner', 'admin', 'member', 'viewer'];
  if (myRole === 'admin') return ['admin', 'member', 'viewer'];
  return [];
}

export function canChangeRole(myRole: Role, target: Member): boolean {
  if (myRole === 'owner') return true;
  return myRole === 'admin' && target.role !== 'owner';
}

/** Removing someone else; your own row offers "Leave workspace" instead. */
export function canRemove(myRole: Role, target: Member): boolean {
  if (myRole === 'owner') return true;
  return myRole === 'admin' && target.role !== 'owner';
}
