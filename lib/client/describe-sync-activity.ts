// Sentences for sync.* activity entries ("ana@x.com started a full sync of HubSpot").
import { providerName } from './connections';

const number = (value: unknown): number => (typeof value === 'number' ? value : 0);

export function describeSyncAction(action: string, actor: string, d: Record<string, unknown>): string | null {
  const name = providerName(d);
  switch (action) {
    case 'sync.requested':
      return `${actor} started ${d.mode === 'full' ? 'a full' : 'an incremental'} sync of ${name}`;
    case 'sync.succeeded':
      return `Sync of ${name} finished: ${number(d.created)} created, ${number(d.updated)} updated, ${number(d.deleted)} deleted`;
    case 'sync.failed': {
      const streak = number(d.consecutiveFailures);
      return `Sync of ${name} failed${typeof d.reason === 'string' ? `: ${d.reason}` : ''}${streak > 1 ? ` (${streak} in a row)` : ''}`;
    }
    default:
      return null;
  }
}
