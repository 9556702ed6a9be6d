// Sync runs and synced records as the browser sees them (lib/sync/history.ts and actions.ts),
// with the words and small formatters the sync screens share.
import { apiFetch } from './api';
import type { SYNC_STATUSES, SYNC_TRIGGERS } from '@/lib/db/schema';
import type { getRun, listRecords, listRuns } from '@/lib/sync/history';
import type { MappingError } from '@/lib/mapping/interpreter';
import type { ConnectionSchedule, Jsonified } from './types';

export type SyncStatus = (typeof SYNC_STATUSES)[number];
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
export type SyncMode = SyncRunsResponse['runs'][number]['mode'];
export type DeletedFilter = 'include' | 'only' | 'exclude';

/** The server's answers (lib/sync/history.ts), with dates as ISO strings. */
export type SyncRunsResponse = Jsonified<Awaited<ReturnType<typeof listRuns>>>;
export type SyncRun = SyncRunsResponse['runs'][number];
type StoredRecords = Jsonified<Awaited<ReturnType<typeof listRecords>>>;
/** A mapping error as the interpreter writes it into `mapping_errors` (jsonb, so untyped in the schema). */
export type RecordMappingError = Jsonified<MappingError>;
export type SyncRecord = Omit<StoredRecords['records'][number], 'mapped' | 'mappingErrors'> & {
  mapped: Record<string, unknown> | null;
  mappingErrors: RecordMappingError[] | null;
};
export type RecordsResponse = Omit<StoredRecords, 'records'> & { records: SyncRecord[] };

/** One entry of a run's step timeline (jsonb written by lib/sync/engine.ts and runs.ts). */
export interface SyncStep {
  at: string;
  kind: 'started' | 'page' | 'cursor_expired' | 'finished' | 'failed';
  resources?: string[];
  resource?: string;
  listing?: SyncMode;
  page?: number;
  fetched?: number;
  created?: number;
  updated?: number;
  unchanged?: number;
  deleted?: number;
  status?: SyncStatus;
  reason?: string;
  detail?: string;
}

export type SyncRunDetail = Omit<Jsonified<Awaited<ReturnType<typeof getRun>>>, 'steps'> & { steps: SyncStep[] };

export const RUN_STATUS_LABELS: Record<SyncStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partial',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
export const TRIGGER_LABELS: Record<SyncTrigger, string> = {
  initial: 'Initial',
  manual: 'Manual',
  schedule: 'Schedule',
  webhook: 'Webhook',
  retry: 'Retry',
  source_change: 'Source changed',
};
export const MODE_LABELS: Record<SyncMode, string> = { full: 'Full', incremental: 'Incremental' };
export const SCHEDULE_OPTIONS: { value: ConnectionSchedule; label: string }[] = [
  { value: 'manual', label: 'Manual' },
  { value: 'every_15_minutes', label: 'Every 15 minutes' },
  { value: 'hourly', label: 'Hourly' },
  { value: 'daily', label: 'Daily' },
];

export const isLive = (status: SyncStatus | undefined) => status === 'queued' || status === 'running';

/** 850 → "under a second", 65_000 → "1 min 5 s", 3_900_000 → "1 h 5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return 'under a second';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}

/** Milliseconds from start to finish (or to now while running); null before the run starts. */
export function runDurationMs(run: Pick<SyncRun, 'startedAt' | 'finishedAt'>, now = Date.now()): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, end - Date.parse(run.startedAt));
}

const n = (value: number) => value.toLocaleString('en');
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

/** "250 created, 0 updated, 3 unchanged, 1 deleted" (and failures when there were any). */
type Counts = Pick<SyncRun, 'recordsCreated' | 'recordsUpdated' | 'recordsUnchanged' | 'recordsDeleted' | 'recordsFailed'>;

export function describeCounts(run: Counts): string {
  const parts = [
    `${n(run.recordsCreated)} created`,
    `${n(run.recordsUpdated)} updated`,
    `${n(run.recordsUnchanged)} unchanged`,
    `${n(run.recordsDeleted)} deleted`,
  ];
  if (run.recordsFailed > 0) parts.push(`${n(run.recordsFailed)} failed`);
  return parts.join(', ');
}

/** The table's compact form, "+250 ~3 −1" (created, updated, deleted). */
export const compactCounts = (run: SyncRun) => `+${n(run.recordsCreated)} ~${n(run.recordsUpdated)} −${n(run.recordsDeleted)}`;

/** "3 pages, 250 records": what a running sync has done so far (its total is unknown). */
export const progressText = (run: Pick<SyncRun, 'pagesDone' | 'recordsFetched'>) =>
  `${plural(run.pagesDone, 'page')}, ${plural(run.recordsFetched, 'record')}`;

export { plural as pluralize };

/** The resource a live run is on: its latest page's, else the first it planned, else the run's own. */
export function currentResourceOf(run: Pick<SyncRun, 'resource'> & { steps?: SyncStep[] }): string | null {
  const steps = run.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].resource) return steps[i].resource!;
  return steps.find((step) => step.kind === 'started')?.resources?.[0] ?? run.resource;
}

// Fetchers: one per endpoint the sync screens call.
const ws = (workspaceId: string) => `/api/workspaces/${workspaceId}`;

export const fetchRuns = (workspaceId: string, query: URLSearchParams, signal?: AbortSignal) =>
  apiFetch<SyncRunsResponse>(`${ws(workspaceId)}/sync-runs?${query}`, { signal });

export const fetchRun = (workspaceId: string, runId: string, signal?: AbortSignal) =>
  apiFetch<{ run: SyncRunDetail }>(`${ws(workspaceId)}/sync-runs/${runId}`, { signal });

export const fetchRecords = (workspaceId: string, connectionId: string, query: URLSearchParams, signal?: AbortSignal) =>
  apiFetch<RecordsResponse>(`${ws(workspaceId)}/connections/${connectionId}/records?${query}`, { signal });

export const requestSyncNow = (workspaceId: string, connectionId: string, mode: SyncMode) =>
  apiFetch<{ runId: string; created: boolean }>(`${ws(workspaceId)}/connections/${connectionId}/sync`, {
    method: 'POST',
    body: { mode },
  });

export const cancelSyncRun = (workspaceId: string, runId: string) =>
  apiFetch<{ cancelled: true }>(`${ws(workspaceId)}/sync-runs/${runId}/cancel`, { method: 'POST' });
