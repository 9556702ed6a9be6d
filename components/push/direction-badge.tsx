import { Badge } from '@/components/ui/badge';

/** Which way a run moved records: pulled in from the provider, or pushed out to it. */
export function DirectionBadge({ direction }: { direction: string | null | undefined }) {
  return direction === 'push' ? <Badge tone="accent">Push</Badge> : <Badge>Pull</Badge>;
}
