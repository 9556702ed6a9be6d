import { Badge } from '@/components/ui/badge';
import type { ActionStatus } from '@/lib/client/actions';

export function ActionStatusBadge({ status }: { status: ActionStatus }) {
  return <Badge tone={status === 'succeeded' ? 'success' : 'danger'}>{status === 'succeeded' ? 'Succeeded' : 'Failed'}</Badge>;
}

/** Read or write, as the scope a key needs for it. */
export function ActionKindBadge({ write }: { write: boolean }) {
  return <Badge tone={write ? 'warning' : 'neutral'}>{write ? 'Write' : 'Read'}</Badge>;
}
