import { Badge } from '@/components/ui/badge';
import { STATUS_LABELS } from '@/lib/client/connections';
import type { ConnectionStatus } from '@/lib/client/types';

const TONES = {
  active: 'success',
  paused: 'neutral',
  error: 'danger',
  needs_reauth: 'warning',
  disconnected: 'neutral',
  pending: 'neutral',
} as const;

export function StatusBadge({ status }: { status: ConnectionStatus }) {
  return <Badge tone={TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

export function SandboxBadge() {
  return <Badge tone="accent">Sandbox</Badge>;
}
