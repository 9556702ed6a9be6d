import type { Role } from '@/lib/client/types';

/** What the shell needs about a workspace (the server passes plain values, no dates). */
export interface ShellWorkspace {
  id: string;
  name: string;
  role: Role;
}
