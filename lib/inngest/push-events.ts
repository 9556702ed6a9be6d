// The push run event (lib/jobs/pushes.ts sends it; lib/inngest/push-functions.ts runs it).
export const PUSH_EVENTS = {
  requested: 'hub/push.requested',
} as const;

export interface PushRequestedData {
  runId: string;
  /** The destination connection: one push run at a time per connection. */
  connectionId: string;
  provider: string;
}
