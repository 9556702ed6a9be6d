// What each event a workspace can subscribe to means, for the checkboxes and the log.
import type { SubscribableEventType } from '@/lib/client/outbound';

export const EVENT_TYPE_DESCRIPTIONS: Record<SubscribableEventType, string> = {
  'connection.status_changed': 'A connection became active, paused, needs re-authorising, …',
  'connection.issue_opened': 'A health issue opened on a connection or endpoint',
  'connection.issue_resolved': 'A health issue closed',
  'sync.completed': 'A sync run finished, with its counts',
  'sync.failed': 'A sync run failed',
  'records.changed': 'Records were created, updated or deleted (provider ids, per resource)',
  'action.completed': 'An action through the API finished',
};
