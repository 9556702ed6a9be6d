// The health rules as a pure decision: for every condition, facts that make it hold open it, the
// same facts again re-detect it (no second opening), and facts where it no longer holds resolve it.
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_EXPIRY_WARNING_MS,
  evaluateConnection,
  isRateLimitError,
  MAPPING_FAILURE_MIN,
  planReconcile,
  RATE_LIMITED_RUNS_THRESHOLD,
  SIGNATURE_FAILURES_THRESHOLD,
  SILENT_WEBHOOK_RUNS_THRESHOLD,
  STALE_INTERVALS,
  SYNC_FAILURES_THRESHOLD,
  type Condition,
  type ConnectionFacts,
  type RunFact,
} from '@/lib/health/rules';
import { connectionHealthOf } from '@/lib/health/store';
import { healthIssueSchema, type HealthIssueKind } from '@/lib/health/types';

const NOW = new Date('2026-12-07T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const WS = '11111111-1111-4111-8111-111111111111';
const CONN = '22222222-2222-4222-8222-222222222222';

function healthy(overrides: Partial<ConnectionFacts> = {}): ConnectionFacts {
  return {
    now: NOW,
    workspaceId: WS,
    connectionId: CONN,
    name: 'CRM — Acme',
    status: 'active',
    statusReason: null,
    consecutiveFailures: 0,
    lastError: null,
    refreshFailures: 0,
    grantedScopes: ['contacts.read', 'deals.read'],
    requiredScopes: [
      { resource: 'contacts', scopes: ['contacts.read'] },
      { resource: 'deals', scopes: ['deals.read'] },
    ],
    hasWebhooks: true,
    recentRuns: [{ status: 'succeeded', trigger: 'schedule', mode: 'incremental', error: null, finishedAt: minutesAgo(10), changes: 0 }],
    lastWebhookAt: minutesAgo(5),
    connectedAt: minutesAgo(60 * 24 * 30),
    recentRejections: 0,
    channels: [{ id: 'ch-1', target: 'primary', expiresAt: new Date(NOW.getTime() + 5 * 24 * 3_600_000) }],
    mapping: [{ resource: 'contacts', total: 200, failed: 1 }],
    scheduleMinutes: 60,
    lastSuccessAt: minutesAgo(10),
    ...overrides,
  };
}

const run = (overrides: Partial<RunFact>): RunFact => ({
  status: 'succeeded',
  trigger: 'schedule',
  mode: 'incremental',
  error: null,
  finishedAt: minutesAgo(30),
  changes: 0,
  ...overrides,
});

interface Case {
  kind: HealthIssueKind;
  broken: Partial<ConnectionFacts>;
  /** The same condition, detected again with other numbers. */
  again?: Partial<ConnectionFacts>;
  subject?: string;
  severity: Condition['severity'];
  fix: Condition['fix']['kind'];
  /** Words the explanation must carry (the numbers that triggered it). */
  explains: RegExp;
}

const cases: Case[] = [
  {
    kind: 'needs_reauth',
    broken: { status: 'needs_reauth', statusReason: 'invalid_grant' },
    severity: 'critical',
    fix: 'reconnect',
    explains: /invalid_grant/,
  },
  {
    kind: 'token_refresh_failing',
    broken: { refreshFailures: 2 },
    again: { refreshFailures: 3 },
    severity: 'warning',
    fix: 'reconnect',
    explains: /last 2 token refreshes/,
  },
  {
    kind: 'scopes_missing',
    broken: { grantedScopes: ['contacts.read'] },
    subject: 'deals',
    severity: 'warning',
    fix: 'grant_scopes',
    explains: /deals\.read/,
  },
  {
    kind: 'sync_failing',
    broken: { consecutiveFailures: SYNC_FAILURES_THRESHOLD, lastError: 'contacts: the provider answered 500: boom', status: 'error' },
    again: { consecutiveFailures: SYNC_FAILURES_THRESHOLD + 1, lastError: 'contacts: 500', status: 'error' },
    severity: 'warning',
    fix: 'sync_now',
    explains: /3 syncs in a row failed; the latest: contacts: the provider answered 500/,
  },
  {
    kind: 'rate_limited',
    broken: {
      recentRuns: Array.from({ length: RATE_LIMITED_RUNS_THRESHOLD }, (_, i) =>
        run({ status: 'failed', error: 'contacts: the provider answered 429: slow down (gave up after 6 attempts)', finishedAt: minutesAgo(20 + i) }),
      ),
    },
    severity: 'warning',
    fix: 'wait',
    explains: /2 syncs in the last 24 hours gave up after the provider answered 429/,
  },
  {
    kind: 'webhooks_silent',
    broken: {
      lastWebhookAt: minutesAgo(600),
      recentRuns: Array.from({ length: SILENT_WEBHOOK_RUNS_THRESHOLD }, (_, i) => run({ changes: 4, finishedAt: minutesAgo(60 * (i + 1)) })),
    },
    severity: 'warning',
    fix: 'check_webhooks',
    explains: /3 scheduled syncs found 12 changes, but no webhook delivery has arrived since 2026-12-07 02:00 UTC/,
  },
  {
    kind: 'signature_failures',
    broken: { recentRejections: SIGNATURE_FAILURES_THRESHOLD },
    again: { recentRejections: SIGNATURE_FAILURES_THRESHOLD * 4 },
    severity: 'warning',
    fix: 'check_webhooks',
    explains: /10 deliveries claiming this connection failed verification in the last hour/,
  },
  {
    kind: 'channel_expiring',
    broken: { channels: [{ id: 'ch-1', target: 'primary', expiresAt: new Date(NOW.getTime() + 3 * 3_600_000) }] },
    again: { channels: [{ id: 'ch-1', target: 'primary', expiresAt: new Date(NOW.getTime() - 60_000) }] },
    subject: 'primary',
    severity: 'warning',
    fix: 'check_webhooks',
    explains: /expires at 2026-12-07 15:00 UTC \(in 3 h\)/,
  },
  {
    kind: 'mapping_failures',
    broken: { mapping: [{ resource: 'contacts', total: 200, failed: 60 }] },
    again: { mapping: [{ resource: 'contacts', total: 200, failed: 80 }] },
    subject: 'contacts',
    severity: 'warning',
    fix: 'edit_mapping',
    explains: /60 of 200 contacts records fail/,
  },
  {
    kind: 'records_stale',
    broken: { lastSuccessAt: minutesAgo(STALE_INTERVALS * 60 + 30) },
    again: { lastSuccessAt: minutesAgo(STALE_INTERVALS * 60 + 90) },
    severity: 'warning',
    fix: 'sync_now',
    explains: /last successful sync was 3\.5 h ago .* more than 3× the 60-minute schedule/,
  },
];

const asIssue = (condition: Condition, id: string) => ({ id, kind: condition.kind, subject: condition.subject });

describe('health rules', () => {
  it('finds nothing wrong with a healthy connection', () => {
    expect(evaluateConnection(healthy())).toEqual([]);
  });

  for (const c of cases) {
    describe(c.kind, () => {
      it('opens with its severity, subject, fix link and the numbers that triggered it', () => {
        const found = evaluateConnection(healthy(c.broken)).filter((x) => x.kind === c.kind);
        expect(found).toHaveLength(1);
        const [condition] = found;
        expect(condition.severity).toBe(c.severity);
        expect(condition.subject).toBe(c.subject ?? '');
        expect(condition.fix.kind).toBe(c.fix);
        expect(condition.fix.href).toMatch(new RegExp(`^/w/${WS}/integrations/${CONN}`));
        expect(condition.explanation).toMatch(c.explains);
        expect(condition.title.length).toBeGreaterThan(5);
        const plan = planReconcile([], found);
        expect(plan.open.map((x) => x.kind)).toEqual([c.kind]);
        expect(plan.redetect).toEqual([]);
        expect(plan.resolve).toEqual([]);
      });

      it('is re-detected, not opened again, while it holds', () => {
        const [first] = evaluateConnection(healthy(c.broken)).filter((x) => x.kind === c.kind);
        const open = [asIssue(first, 'issue-1')];
        const again = evaluateConnection(healthy(c.again ?? c.broken));
        const plan = planReconcile(open, again.filter((x) => x.kind === c.kind));
        expect(plan.open).toEqual([]);
        expect(plan.redetect.map((r) => r.issue.id)).toEqual(['issue-1']);
        expect(plan.resolve).toEqual([]);
      });

      it('resolves once the condition clears', () => {
        const [first] = evaluateConnection(healthy(c.broken)).filter((x) => x.kind === c.kind);
        const plan = planReconcile([asIssue(first, 'issue-1')], evaluateConnection(healthy()));
        expect(plan.open).toEqual([]);
        expect(plan.redetect).toEqual([]);
        expect(plan.resolve.map((i) => i.id)).toEqual(['issue-1']);
      });
    });
  }

  it('keeps apart issues of one kind with different subjects', () => {
    const facts = healthy({
      mapping: [
        { resource: 'contacts', total: 100, failed: 50 },
        { resource: 'deals', total: 100, failed: 40 },
      ],
    });
    const found = evaluateConnection(facts);
    expect(found.map((x) => `${x.kind}:${x.subject}`)).toEqual(['mapping_failures:contacts', 'mapping_failures:deals']);
    const plan = planReconcile([{ id: 'a', kind: 'mapping_failures', subject: 'contacts' }], evaluateConnection(healthy({ mapping: [{ resource: 'deals', total: 100, failed: 40 }] })));
    expect(plan.resolve.map((i) => i.id)).toEqual(['a']);
    expect(plan.open.map((x) => x.subject)).toEqual(['deals']);
  });

  it('stays quiet below each threshold', () => {
    const below = healthy({
      refreshFailures: 1,
      consecutiveFailures: SYNC_FAILURES_THRESHOLD - 1,
      recentRejections: SIGNATURE_FAILURES_THRESHOLD - 1,
      mapping: [
        { resource: 'contacts', total: 10, failed: MAPPING_FAILURE_MIN - 1 },
        { resource: 'deals', total: 1000, failed: 90 },
      ],
      channels: [{ id: 'c', target: 'primary', expiresAt: new Date(NOW.getTime() + CHANNEL_EXPIRY_WARNING_MS + 60_000) }],
      lastSuccessAt: minutesAgo(STALE_INTERVALS * 60 - 1),
      recentRuns: [run({ status: 'failed', error: 'the provider answered 429: slow' }), run({ changes: 3 }), run({ changes: 3, trigger: 'webhook' })],
      lastWebhookAt: minutesAgo(600),
    });
    expect(evaluateConnection(below)).toEqual([]);
  });

  it('judges nothing but the grant on a paused connection, and nothing at all once disconnected', () => {
    const broken = { consecutiveFailures: 5, lastSuccessAt: minutesAgo(60 * 24), refreshFailures: 4 };
    expect(evaluateConnection(healthy({ ...broken, status: 'paused' })).map((x) => x.kind)).toEqual(['token_refresh_failing']);
    expect(evaluateConnection(healthy({ ...broken, status: 'disconnected' }))).toEqual([]);
    // Needing a reconnect says it all: no failing-sync or staleness issue beside it.
    expect(evaluateConnection(healthy({ ...broken, status: 'needs_reauth' })).map((x) => x.kind)).toEqual(['needs_reauth']);
  });

  it('does not look for webhook silence on providers without webhooks, nor staleness on manual schedules', () => {
    const facts = healthy({
      hasWebhooks: false,
      scheduleMinutes: null,
      lastSuccessAt: minutesAgo(60 * 24 * 7),
      lastWebhookAt: null,
      recentRuns: Array.from({ length: 5 }, () => run({ changes: 9 })),
    });
    expect(evaluateConnection(facts)).toEqual([]);
  });

  it('marks an expired channel critical', () => {
    const [condition] = evaluateConnection(healthy({ channels: [{ id: 'c', target: 'team', expiresAt: minutesAgo(5) }] }));
    expect(condition).toMatchObject({ kind: 'channel_expiring', severity: 'critical', subject: 'team' });
    expect(condition.explanation).toMatch(/expired at 2026-12-07 11:55 UTC/);
  });

  it('recognises rate-limit failures by their recorded error', () => {
    expect(isRateLimitError('contacts: the provider answered 429: Too Many Requests')).toBe(true);
    expect(isRateLimitError('RATE_LIMITED (gave up after 6 attempts)')).toBe(true);
    expect(isRateLimitError('contacts: the provider answered 500: boom')).toBe(false);
    expect(isRateLimitError(null)).toBe(false);
  });

  it('sums a connection up as healthy, degraded or broken from its open issues', () => {
    expect(connectionHealthOf([])).toBe('healthy');
    expect(connectionHealthOf([{ severity: 'critical', status: 'resolved' }])).toBe('healthy');
    expect(connectionHealthOf([{ severity: 'warning', status: 'open' }, { severity: 'info', status: 'open' }])).toBe('degraded');
    expect(connectionHealthOf([{ severity: 'warning', status: 'open' }, { severity: 'critical', status: 'open' }])).toBe('broken');
  });

  it('builds issues that fit the shared contract', () => {
    for (const condition of cases.flatMap((c) => evaluateConnection(healthy(c.broken)))) {
      const issue = {
        ...condition,
        id: '33333333-3333-4333-8333-333333333333',
        workspaceId: WS,
        connectionId: CONN,
        status: 'open',
        count: 1,
        firstSeenAt: NOW.toISOString(),
        lastSeenAt: NOW.toISOString(),
        resolvedAt: null,
      };
      expect(healthIssueSchema.safeParse(issue).success).toBe(true);
    }
  });
});
