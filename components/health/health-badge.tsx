import { Badge } from '@/components/ui/badge';
import { CONNECTION_HEALTH_LABELS, ISSUE_SEVERITY_LABELS, type ConnectionHealth, type HealthSeverity } from '@/lib/client/health';

const HEALTH_TONES = { healthy: 'success', degraded: 'warning', broken: 'danger' } as const;
const SEVERITY_TONES = { critical: 'danger', warning: 'warning', info: 'accent' } as const;

/** Healthy, degraded or broken, in words as well as colour (colour alone tells nothing to some). */
export function HealthBadge({ health }: { health: ConnectionHealth }) {
  return <Badge tone={HEALTH_TONES[health]}>{CONNECTION_HEALTH_LABELS[health]}</Badge>;
}

export function IssueSeverityBadge({ severity }: { severity: HealthSeverity }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{ISSUE_SEVERITY_LABELS[severity]}</Badge>;
}
