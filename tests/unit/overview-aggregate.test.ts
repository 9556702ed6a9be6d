import { describe, expect, it } from 'vitest';
import type { HealthIssue } from '@/lib/health/types';
import {
  bucketStart,
  bucketStarts,
  connectionHealth,
  countIssues,
  fillRunBuckets,
  needsAttention,
  rate,
  sumBuckets,
  type AttentionConnection,
} from '@/lib/overview/aggregate';

const WS = '11111111-1111-4111-8111-111111111111';
const C1 = '22222222-2222-4222-8222-222222222222';
const C2 = '33333333-3333-4333-8333-333333333333';
const now = new Date('2026-12-07T10:25:00Z');

function issue(overrides: Partial<HealthIssue>): HealthIssue {
  return {
    id: crypto.randomUUID(),
    workspaceId: WS,
    connectionId: C1,
    subject: '',
    kind: 'sync_failing',
    severity: 'warning',
    status: 'open',
    title: 'Syncs are failing',
    explanation: 'Three runs in a row failed.',
    fix: { kind: 'sync_now', label: 'Sync now', href: `/w/${WS}/integrations/${C1}` },
    count: 1,
    firstSeenAt: '2026-12-07T09:00:00.000Z',
    lastSeenAt: '2026-12-07T09:00:00.000Z',
    resolvedAt: null,
    details: {},
    ...overrides,
  };
}

describe('time buckets', () => {
  it('aligns hours and days to UTC and ends with the bucket holding now', () => {
    expect(bucketStart(now, 'hour').toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(bucketStart(now, 'day').toISOString()).toBe('2026-12-07T00:00:00.000Z');
    const hours = bucketStarts(now, 'hour', 24);
    expect(hours).toHaveLength(24);
    expect(hours[0].toISOString()).toBe('2026-12-06T11:00:00.000Z');
    expect(hours[23].toISOString()).toBe('2026-12-07T10:00:00.000Z');
    const days = bucketStarts(now, 'day', 7);
    expect(days.map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
    ]);
  });

  it('folds hourly counts into hours and days by outcome, zeros where nothing ran, and drops rows outside the window', () => {
    const rows = [
      { hour: '2026-12-07T10:00:00.000Z', status: 'succeeded' as const, runs: 3 },
      { hour: '2026-12-07T10:00:00.000Z', status: 'failed' as const, runs: 1 },
      { hour: '2026-12-07T08:00:00.000Z', status: 'running' as const, runs: 1 },
      { hour: '2026-12-07T08:00:00.000Z', status: 'queued' as const, runs: 2 },
      { hour: '2026-12-06T11:00:00.000Z', status: 'partial' as const, runs: 1 },
      // Yesterday before the 24-hour window: in the week, not in the day.
      { hour: '2026-12-06T03:00:00.000Z', status: 'cancelled' as const, runs: 4 },
      // Before the week.
      { hour: '2026-11-30T23:00:00.000Z', status: 'succeeded' as const, runs: 9 },
    ];
    const day = fillRunBuckets(rows, now, 'hour', 24);
    expect(day).toHaveLength(24);
    expect(day[23]).toEqual({ start: '2026-12-07T10:00:00.000Z', total: 4, succeeded: 3, partial: 0, failed: 1, cancelled: 0, active: 0 });
    expect(day[21]).toMatchObject({ start: '2026-12-07T08:00:00.000Z', total: 3, active: 3 });
    expect(day[0]).toMatchObject({ start: '2026-12-06T11:00:00.000Z', total: 1, partial: 1 });
    expect(day[5].total).toBe(0);
    expect(sumBuckets(day)).toEqual({ total: 8, succeeded: 3, partial: 1, failed: 1, cancelled: 0, active: 3 });

    const week = fillRunBuckets(rows, now, 'day', 7);
    expect(week).toHaveLength(7);
    expect(week[6]).toMatchObject({ start: '2026-12-07T00:00:00.000Z', total: 7, succeeded: 3, failed: 1, active: 3 });
    expect(week[5]).toMatchObject({ start: '2026-12-06T00:00:00.000Z', total: 5, partial: 1, cancelled: 4 });
    expect(week[0].total).toBe(0);
    expect(sumBuckets(week).total).toBe(12);
  });
});

describe('connection health', () => {
  it('is healthy with no open issue, degraded with a warning or info, broken with a critical one', () => {
    expect(connectionHealth('active', [])).toBe('healthy');
    expect(connectionHealth('active', [{ severity: 'info' }])).toBe('degraded');
    expect(connectionHealth('active', [{ severity: 'warning' }, { severity: 'info' }])).toBe('degraded');
    expect(connectionHealth('active', [{ severity: 'warning' }, { severity: 'critical' }])).toBe('broken');
  });

  it('is broken when the status already says nothing syncs, before any rule has opened an issue', () => {
    expect(connectionHealth('needs_reauth', [])).toBe('broken');
    expect(connectionHealth('error', [{ severity: 'info' }])).toBe('broken');
    expect(connectionHealth('paused', [])).toBe('healthy');
    expect(connectionHealth('pending', [])).toBe('healthy');
  });

  it('counts issues by severity', () => {
    expect(countIssues([{ severity: 'critical' }, { severity: 'info' }, { severity: 'info' }])).toEqual({ total: 3, critical: 1, warning: 0, info: 2 });
  });
});

describe('needs attention', () => {
  const connection = (id: string, status: AttentionConnection['status'], updatedAt = '2026-12-07T07:00:00.000Z'): AttentionConnection => ({
    id,
    displayName: id === C1 ? 'Sales CRM' : 'Front desk',
    status,
    statusReason: null,
    updatedAt,
  });

  it('sorts by severity, then the most recently seen first', () => {
    const oldCritical = issue({ severity: 'critical', kind: 'token_refresh_failing', lastSeenAt: '2026-12-07T01:00:00.000Z' });
    const newCritical = issue({ severity: 'critical', kind: 'scopes_missing', lastSeenAt: '2026-12-07T09:30:00.000Z' });
    const info = issue({ severity: 'info', kind: 'channel_expiring', lastSeenAt: '2026-12-07T10:00:00.000Z' });
    const warning = issue({ severity: 'warning', lastSeenAt: '2026-12-07T08:00:00.000Z' });
    const items = needsAttention(WS, [info, oldCritical, warning, newCritical], []);
    expect(items.map((i) => i.issueId)).toEqual([newCritical.id, oldCritical.id, warning.id, info.id]);
    expect(items[0].fix).toEqual({ label: 'Sync now', href: `/w/${WS}/integrations/${C1}` });
  });

  it("adds connections needing reauth or in error that no issue covers, linking to the connection's page", () => {
    const items = needsAttention(WS, [issue({ severity: 'warning', connectionId: C2 })], [connection(C1, 'needs_reauth'), connection(C2, 'error', '2026-12-07T08:00:00.000Z')]);
    expect(items.map((i) => [i.key, i.severity, i.fix.href])).toEqual([
      [`connection:${C2}`, 'critical', `/w/${WS}/integrations/${C2}`],
      [`connection:${C1}`, 'critical', `/w/${WS}/integrations/${C1}`],
      [expect.any(String), 'warning', `/w/${WS}/integrations/${C1}`],
    ]);
    expect(items[1]).toMatchObject({ title: 'Sales CRM needs re-authorising', fix: { label: 'Reconnect' } });
  });

  it('does not list a connection twice when its issue is already open', () => {
    const reauth = issue({ kind: 'needs_reauth', severity: 'critical', connectionId: C1, fix: { kind: 'reconnect', label: 'Reconnect', href: null } });
    const failing = issue({ kind: 'sync_failing', severity: 'critical', connectionId: C2, lastSeenAt: '2026-12-07T08:00:00.000Z' });
    const items = needsAttention(WS, [reauth, failing], [connection(C1, 'needs_reauth'), connection(C2, 'error'), connection(C2, 'active')]);
    expect(items.map((i) => i.issueId)).toEqual([reauth.id, failing.id]);
    // An issue without a link of its own points at its connection.
    expect(items.find((i) => i.issueId === reauth.id)!.fix.href).toBe(`/w/${WS}/integrations/${C1}`);
  });
});

describe('rates', () => {
  it('is null with nothing to divide', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 4)).toBe(0.25);
  });
});
