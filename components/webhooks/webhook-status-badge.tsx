import { Badge } from '@/components/ui/badge';
import { WEBHOOK_STATUS_HELP, WEBHOOK_STATUS_LABELS, type WebhookStatus } from '@/lib/client/webhooks';

const TONES = {
  received: 'neutral',
  processing: 'accent',
  processed: 'success',
  failed: 'danger',
  ignored: 'neutral',
  unrouted: 'warning',
  rejected: 'danger',
} as const;

export function WebhookStatusBadge({ status }: { status: WebhookStatus }) {
  return (
    <span title={WEBHOOK_STATUS_HELP[status]}>
      <Badge tone={TONES[status]}>{WEBHOOK_STATUS_LABELS[status]}</Badge>
    </span>
  );
}
