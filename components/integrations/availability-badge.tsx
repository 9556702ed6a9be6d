import { Badge } from '@/components/ui/badge';
import type { Availability } from '@/lib/client/types';

const BADGES = {
  configured: { tone: 'success', label: 'Configured', title: 'Connects to the real provider' },
  sandbox: { tone: 'accent', label: 'Sandbox', title: 'Connects to the provider sandbox, not a real account' },
  unavailable: { tone: 'neutral', label: 'Not configured', title: 'This server has no OAuth client for it' },
} as const;

export function AvailabilityBadge({ availability }: { availability: Availability }) {
  const { tone, label, title } = BADGES[availability];
  return (
    <span title={title}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}
