import type { Role } from '@/lib/client/types';
import { Badge } from './badge';

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={role === 'owner' || role === 'admin' ? 'accent' : 'neutral'}>{role}</Badge>;
}
