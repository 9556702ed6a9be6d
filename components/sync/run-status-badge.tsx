import { Badge } from '@/components/ui/badge';
import { RUN_STATUS_LABELS, type SyncStatus } from '@/lib/client/sync';

const TONES = {
  queued: 'neutral',
  running: 'accent',
  succeeded: 'success',
  partial: 'warning',
  failed: 'danger',
  cancelled: 'neutral',
} as const;

export function RunStatusBadge({ status }: { status: SyncStatus }) {
  return <Badge tone={TONES[status]}>{RUN_STATUS_LABELS[status]}</Badge>;
}
