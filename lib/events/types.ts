// Workspace events: what happened in a workspace, written once to an outbox table and fanned out
// to the workspace's outbound webhook endpoints (lib/outbound). This file is the contract every
// emitter and the receiver documentation share; the payload shapes are public API.
import { z } from 'zod';
import { healthIssueSchema } from '../health/types';

const connectionRef = z.object({ connectionId: z.string().uuid(), provider: z.string(), displayName: z.string() });

export const workspaceEventSchemas = {
  'connection.status_changed': connectionRef.extend({ from: z.string(), to: z.string(), reason: z.string().nullable() }),
  'connection.issue_opened': z.object({ issue: healthIssueSchema }),
  'connection.issue_resolved': z.object({ issue: healthIssueSchema }),
  'sync.completed': connectionRef.extend({
    runId: z.string().uuid(),
    resources: z.array(z.string()),
    counts: z.object({ created: z.number().int(), updated: z.number().int(), deleted: z.number().int(), failed: z.number().int() }),
  }),
  'sync.failed': connectionRef.extend({ runId: z.string().uuid(), error: z.string(), code: z.string().nullable() }),
  /** Batched per connection and resource; ids are the provider's record ids. */
  'records.changed': connectionRef.extend({
    resource: z.string(),
    created: z.array(z.string()),
    updated: z.array(z.string()),
    deleted: z.array(z.string()),
  }),
  'action.completed': connectionRef.extend({
    action: z.string(),
    logId: z.string().uuid(),
    outcome: z.enum(['succeeded', 'failed']),
    code: z.string().nullable(),
  }),
  /** Sent to one endpoint by its "Send test event" button; nobody subscribes to it. */
  'webhook.test': z.object({ endpointId: z.string().uuid(), message: z.string(), sentBy: z.string().nullable() }),
} as const;

export type WorkspaceEventType = keyof typeof workspaceEventSchemas;
export const WORKSPACE_EVENT_TYPES = Object.keys(workspaceEventSchemas) as WorkspaceEventType[];
export type WorkspaceEventData<T extends WorkspaceEventType> = z.infer<(typeof workspaceEventSchemas)[T]>;

export interface WorkspaceEvent<T extends WorkspaceEventType = WorkspaceEventType> {
  workspaceId: string;
  type: T;
  data: WorkspaceEventData<T>;
}

/** The types an endpoint may subscribe to: every event but the test event, which goes to one endpoint on request. */
export const SUBSCRIBABLE_EVENT_TYPES = WORKSPACE_EVENT_TYPES.filter((type) => type !== 'webhook.test') as Exclude<WorkspaceEventType, 'webhook.test'>[];
