// The health rules as a pure decision: given facts gathered about one connection (check.ts gathers
// them), which conditions hold right now. No I/O here, so every rule is unit-tested on plain data;
// reconciling the answer with the stored issues (open, re-detect, resolve) is check.ts's job.
// Nothing here names a provider: what differs between providers (webhooks, push channels, the
// scopes a resource needs) arrives as facts read from the provider definition.
import type { HealthFix, HealthIssueKind, HealthSeverity } from './types';

/** A sync failure count this high is a pattern, not a blip; it matches the runs' own error threshold. */
export const SYNC_FAILURES_THRESHOLD = 3;
/** Refreshes fail now and then (a provider outage); two in a row without a success is worth a look. */
export const REFRESH_FAILURES_THRESHOLD = 2;
/** Runs that gave up on 429s within the window: one is a busy hour, two means the budget is too small. */
export const RATE_LIMITED_RUNS_THRESHOLD = 2;
/** How far back runs count for rate limiting and silence: long enough to span an hourly schedule a few times. */
export const RECENT_RUNS_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Scheduled incremental syncs that found changes while no webhook arrived. One could be a change
 * the provider never pushes (a bulk import); three in a row means pushes are not reaching us.
 */
export const SILENT_WEBHOOK_RUNS_THRESHOLD = 3;
/**
 * Failed signature checks in the last hour claiming this connection. A provider retrying one
 * delivery with a stale secret makes a few; a burst this size is a wrong secret or a forger.
 */
export const SIGNATURE_FAILURES_THRESHOLD = 10;
export const SIGNATURE_WINDOW_MS = 60 * 60 * 1000;
/**
 * Channels are renewed a day before they expire (lib/webhooks/channels.ts RENEW_BEFORE_MS); one
 * still unrenewed this close to its end means renewal is failing.
 */
export const CHANNEL_EXPIRY_WARNING_MS = 12 * 60 * 60 * 1000;
/** Share of a resource's records failing their mapping: a few odd records are data, a tenth is the mapping. */
export const MAPPING_FAILURE_SHARE = 0.1;
/** …and at least this many, so five records with one typo do not raise an issue. */
export const MAPPING_FAILURE_MIN = 5;
/** No success for this many schedule intervals: two missed runs can be a retry; three is stale data. */
export const STALE_INTERVALS = 3;

export interface RunFact {
  status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
  trigger: string;
  mode: 'full' | 'incremental';
  error: string | null;
  finishedAt: Date | null;
  /** created + updated + deleted */
  changes: number;
}

export interface ChannelFact {
  id: string;
  target: string;
  expiresAt: Date | null;
}

export interface ConnectionFacts {
  now: Date;
  workspaceId: string;
  connectionId: string;
  /** The connection's own name ("HubSpot — Acme"), for titles. */
  name: string;
  status: 'pending' | 'active' | 'paused' | 'error' | 'needs_reauth' | 'disconnected';
  statusReason: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  refreshFailures: number;
  /** What the grant holds; empty when the provider does not report scopes (then nothing is judged). */
  grantedScopes: string[];
  /** Per enabled resource, the scopes the provider definition says it needs. */
  requiredScopes: { resource: string; scopes: string[] }[];
  /** The provider pushes changes to us (its definition has webhooks). */
  hasWebhooks: boolean;
  /** Finished runs within RECENT_RUNS_WINDOW_MS, newest first. */
  recentRuns: RunFact[];
  /** The latest verified delivery for this connection. */
  lastWebhookAt: Date | null;
  connectedAt: Date | null;
  /** Rejected deliveries claiming this connection within SIGNATURE_WINDOW_MS. */
  recentRejections: number;
  /** Active push channels. */
  channels: ChannelFact[];
  /** Live records per resource and how many of them failed their mapping. */
  mapping: { resource: string; total: number; failed: number }[];
  /** Minutes between scheduled runs; null for manual. */
  scheduleMinutes: number | null;
  lastSuccessAt: Date | null;
}

export interface Condition {
  kind: HealthIssueKind;
  severity: HealthSeverity;
  subject: string;
  title: string;
  explanation: string;
  fix: { kind: HealthFix; label: string; href: string | null };
  details: Record<string, unknown>;
}

/** A connection in these states is not expected to work, so only its own state is judged. */
const DORMANT = new Set<ConnectionFacts['status']>(['paused', 'disconnected', 'pending']);

export function connectionHref(facts: Pick<ConnectionFacts, 'workspaceId' | 'connectionId'>, tail = ''): string {
  return `/w/${facts.workspaceId}/integrations/${facts.connectionId}${tail}`;
}

/** Every condition that holds for the connection now. Deterministic; order is the rules' order. */
export function evaluateConnection(facts: ConnectionFacts): Condition[] {
  if (facts.status === 'disconnected') return [];
  const found: Condition[] = [];
  const page = connectionHref(facts);
  const at = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

  if (facts.status === 'needs_reauth') {
    found.push({
      kind: 'needs_reauth',
      severity: 'critical',
      subject: '',
      title: `${facts.name} needs re-authorising`,
      // The status reason is already a sentence from the refresh ("The provider refused our credentials (invalid_grant)…").
      explanation: `${facts.statusReason ? facts.statusReason.replace(/([^.])$/, '$1.') : "The provider no longer accepts this connection's credentials."} Nothing syncs until someone reconnects it.`,
      fix: { kind: 'reconnect', label: 'Reconnect', href: page },
      details: { reason: facts.statusReason },
    });
  } else if (facts.refreshFailures >= REFRESH_FAILURES_THRESHOLD) {
    found.push({
      kind: 'token_refresh_failing',
      severity: 'warning',
      subject: '',
      title: `${facts.name} cannot refresh its access token`,
      explanation: `The last ${facts.refreshFailures} token refreshes failed. The provider may be unwell; if it continues, the access token expires and syncs stop. Reconnecting issues new tokens.`,
      fix: { kind: 'reconnect', label: 'Reconnect', href: page },
      details: { refreshFailures: facts.refreshFailures },
    });
  }
  // Paused or unfinished connections are not expected to sync; one needing reconnection has
  // exactly one thing to fix, and the rest (failures, staleness) would only repeat it.
  if (DORMANT.has(facts.status) || facts.status === 'needs_reauth') return found;

  if (facts.grantedScopes.length > 0) {
    const granted = new Set(facts.grantedScopes);
    for (const { resource, scopes } of facts.requiredScopes) {
      const missing = scopes.filter((scope) => !granted.has(scope));
      if (missing.length === 0) continue;
      found.push({
        kind: 'scopes_missing',
        severity: 'warning',
        subject: resource,
        title: `${facts.name} lacks permission for ${resource}`,
        explanation: `Syncing ${resource} needs ${missing.join(', ')}, which the account did not grant (${missing.length} of ${scopes.length} scopes missing). Reconnect and approve them.`,
        fix: { kind: 'grant_scopes', label: 'Reconnect to grant access', href: page },
        details: { resource, missing, granted: facts.grantedScopes },
      });
    }
  }

  if (facts.consecutiveFailures >= SYNC_FAILURES_THRESHOLD) {
    found.push({
      kind: 'sync_failing',
      severity: 'warning',
      subject: '',
      title: `${facts.name}: the last ${facts.consecutiveFailures} syncs failed`,
      explanation: `${facts.consecutiveFailures} syncs in a row failed${facts.lastError ? `; the latest: ${facts.lastError}` : ''}. Records stay as they were until a sync succeeds.`,
      fix: { kind: 'sync_now', label: 'Review and sync now', href: page },
      details: { consecutiveFailures: facts.consecutiveFailures, lastError: facts.lastError },
    });
  }

  const recent = facts.recentRuns.filter((run) => run.finishedAt && facts.now.getTime() - run.finishedAt.getTime() <= RECENT_RUNS_WINDOW_MS);
  const limited = recent.filter((run) => run.status === 'failed' && isRateLimitError(run.error));
  if (limited.length >= RATE_LIMITED_RUNS_THRESHOLD) {
    found.push({
      kind: 'rate_limited',
      severity: 'warning',
      subject: '',
      title: `${facts.name} keeps hitting the provider's rate limit`,
      explanation: `${limited.length} syncs in the last 24 hours gave up after the provider answered 429 (too many requests). Syncing less often, or fewer resources, leaves more of the account's quota.`,
      fix: { kind: 'wait', label: 'Review the schedule', href: page },
      details: { rateLimitedRuns: limited.length, windowHours: RECENT_RUNS_WINDOW_MS / 3_600_000 },
    });
  }

  if (facts.hasWebhooks) {
    // Runs after the latest delivery (or the connection, when none ever came) that were not
    // themselves started by a delivery, read incrementally and found changes.
    const since = facts.lastWebhookAt ?? facts.connectedAt;
    const silentRuns = recent.filter(
      (run) =>
        run.finishedAt &&
        (!since || run.finishedAt > since) &&
        run.mode === 'incremental' &&
        run.trigger !== 'webhook' &&
        run.trigger !== 'initial' &&
        (run.status === 'succeeded' || run.status === 'partial') &&
        run.changes > 0,
    );
    if (silentRuns.length >= SILENT_WEBHOOK_RUNS_THRESHOLD) {
      const changes = silentRuns.reduce((sum, run) => sum + run.changes, 0);
      found.push({
        kind: 'webhooks_silent',
        severity: 'warning',
        subject: '',
        title: `${facts.name}: webhooks seem to have stopped`,
        explanation: `${silentRuns.length} scheduled syncs found ${changes} changes, but no webhook delivery has arrived ${facts.lastWebhookAt ? `since ${at(facts.lastWebhookAt)}` : 'since the connection was made'}. Changes now wait for the schedule; check the provider's webhook setup.`,
        fix: { kind: 'check_webhooks', label: 'Check webhooks', href: connectionHref(facts, '/webhooks') },
        details: { silentRuns: silentRuns.length, changes, lastWebhookAt: facts.lastWebhookAt?.toISOString() ?? null },
      });
    }
  }

  if (facts.recentRejections >= SIGNATURE_FAILURES_THRESHOLD) {
    found.push({
      kind: 'signature_failures',
      severity: 'warning',
      subject: '',
      title: `${facts.name}: many webhook deliveries failed their signature check`,
      explanation: `${facts.recentRejections} deliveries claiming this connection failed verification in the last hour. Either the provider signs with a secret this server does not have, or someone is posting forgeries; either way they were refused.`,
      fix: { kind: 'check_webhooks', label: 'Check webhooks', href: connectionHref(facts, '/webhooks') },
      details: { rejections: facts.recentRejections, windowMinutes: SIGNATURE_WINDOW_MS / 60_000 },
    });
  }

  for (const channel of facts.channels) {
    if (!channel.expiresAt) continue;
    const left = channel.expiresAt.getTime() - facts.now.getTime();
    if (left > CHANNEL_EXPIRY_WARNING_MS) continue;
    const expired = left <= 0;
    found.push({
      kind: 'channel_expiring',
      severity: expired ? 'critical' : 'warning',
      subject: channel.target,
      title: expired ? `${facts.name}: a push channel expired` : `${facts.name}: a push channel is about to expire`,
      explanation: expired
        ? `The push channel for ${channel.target} expired at ${at(channel.expiresAt)} and was not renewed, so its changes arrive only with scheduled syncs.`
        : `The push channel for ${channel.target} expires at ${at(channel.expiresAt)} (in ${Math.max(1, Math.round(left / 3_600_000))} h) and has not been renewed yet; renewal normally happens a day ahead.`,
      fix: { kind: 'check_webhooks', label: 'Check webhooks', href: connectionHref(facts, '/webhooks') },
      details: { channelId: channel.id, target: channel.target, expiresAt: channel.expiresAt.toISOString(), expired },
    });
  }

  for (const { resource, total, failed } of facts.mapping) {
    if (total === 0 || failed < MAPPING_FAILURE_MIN || failed / total < MAPPING_FAILURE_SHARE) continue;
    const percent = Math.round((failed / total) * 100);
    found.push({
      kind: 'mapping_failures',
      severity: 'warning',
      subject: resource,
      title: `${facts.name}: ${percent}% of ${resource} fail their mapping`,
      explanation: `${failed} of ${total} ${resource} records fail the field mapping's validation, so they are kept raw and left out of the mapped data. Edit the mapping; saving re-applies it to the stored records.`,
      fix: { kind: 'edit_mapping', label: 'Edit mapping', href: connectionHref(facts, `/mappings/${encodeURIComponent(resource)}`) },
      details: { resource, failed, total, share: failed / total },
    });
  }

  if (facts.scheduleMinutes !== null) {
    const since = facts.lastSuccessAt ?? facts.connectedAt;
    const limitMs = STALE_INTERVALS * facts.scheduleMinutes * 60_000;
    if (since && facts.now.getTime() - since.getTime() > limitMs) {
      const hours = Math.round(((facts.now.getTime() - since.getTime()) / 3_600_000) * 10) / 10;
      found.push({
        kind: 'records_stale',
        severity: 'warning',
        subject: '',
        title: `${facts.name}: records are going stale`,
        explanation: `${facts.lastSuccessAt ? `The last successful sync was ${hours} h ago (${at(since)})` : `No sync has succeeded in the ${hours} h since connecting`}, more than ${STALE_INTERVALS}× the ${facts.scheduleMinutes}-minute schedule.`,
        fix: { kind: 'sync_now', label: 'Sync now', href: page },
        details: { lastSuccessAt: facts.lastSuccessAt?.toISOString() ?? null, scheduleMinutes: facts.scheduleMinutes, hoursSince: hours },
      });
    }
  }
  return found;
}

/** What a run's recorded error says when the provider's rate limit made it give up. */
export function isRateLimitError(error: string | null): boolean {
  return error !== null && /\b429\b|rate.?limit|too many requests/i.test(error);
}

/** Issues are identified by kind and subject within a connection. */
export const conditionKey = (condition: { kind: string; subject: string }) => `${condition.kind}\u0000${condition.subject}`;

export interface ReconcilePlan<I extends { id: string; kind: string; subject: string }> {
  open: Condition[];
  redetect: { issue: I; condition: Condition }[];
  resolve: I[];
}

/**
 * Compares the conditions that hold now with the issues open for the same scope: new ones open,
 * held ones are re-detected (count, last seen, fresh numbers), the rest resolve.
 */
export function planReconcile<I extends { id: string; kind: string; subject: string }>(openIssues: I[], conditions: Condition[]): ReconcilePlan<I> {
  const byKey = new Map(openIssues.map((issue) => [conditionKey(issue), issue]));
  const seen = new Set<string>();
  const plan: ReconcilePlan<I> = { open: [], redetect: [], resolve: [] };
  for (const condition of conditions) {
    const key = conditionKey(condition);
    if (seen.has(key)) continue;
    seen.add(key);
    const issue = byKey.get(key);
    if (issue) plan.redetect.push({ issue, condition });
    else plan.open.push(condition);
  }
  plan.resolve = openIssues.filter((issue) => !seen.has(conditionKey(issue)));
  return plan;
}
