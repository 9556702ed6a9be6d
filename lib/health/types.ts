// Health issues: conditions on a connection (or on a workspace's outbound webhook endpoint)
// detected by rules, opened once, re-detected (count, last seen) and resolved automatically when
// the condition clears. This file is the contract the overview, notifications, outbound events
// and the rules share; the rules live beside it (lib/health/).
import { z } from 'zod';

export const HEALTH_ISSUE_KINDS = [
  'needs_reauth',
  'token_refresh_failing',
  'scopes_missing',
  'sync_failing',
  'rate_limited',
  'webhooks_silent',
  'signature_failures',
  'channel_expiring',
  'mapping_failures',
  'records_stale',
  'endpoint_failing',
] as const;
export type HealthIssueKind = (typeof HEALTH_ISSUE_KINDS)[number];

/** critical: nothing syncs until someone acts. warning: data is late or partial. info: heads-up. */
export const HEALTH_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type HealthSeverity = (typeof HEALTH_SEVERITIES)[number];

/** What fixes it; the UI renders a link or button for each. */
export const HEALTH_FIXES = ['reconnect', 'grant_scopes', 'edit_mapping', 'check_webhooks', 'sync_now', 'edit_endpoint', 'wait'] as const;
export type HealthFix = (typeof HEALTH_FIXES)[number];

export const healthIssueSchema = z.object({
  id: z.string().uuid(),
  workspaceId: z.string().uuid(),
  /** Null for workspace-level issues (an outbound endpoint). */
  connectionId: z.string().uuid().nullable(),
  /** What the issue is about beyond the connection: a resource, a channel id, an endpoint id; '' when nothing. */
  subject: z.string(),
  kind: z.enum(HEALTH_ISSUE_KINDS),
  severity: z.enum(HEALTH_SEVERITIES),
  status: z.enum(['open', 'resolved']),
  /** Plain-language one-liner ("HubSpot needs re-authorising"). */
  title: z.string(),
  /** What happened and why it matters, in a sentence or two, with the numbers that triggered it. */
  explanation: z.string(),
  fix: z.object({ kind: z.enum(HEALTH_FIXES), label: z.string(), href: z.string().nullable() }),
  /** Times the condition was detected while open (1 on opening). */
  count: z.number().int(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type HealthIssue = z.infer<typeof healthIssueSchema>;

/** A connection's health at a glance: broken if any critical issue is open, degraded if any other. */
export type ConnectionHealth = 'healthy' | 'degraded' | 'broken';
