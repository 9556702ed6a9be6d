// Pushes as the browser sees them (lib/push/schemas.ts is the contract the routes answer with):
// a destination connection's pushes, the destination's targets and their real fields, a preview of
// the first records as they would be sent, runs and per-record errors.
import { apiFetch } from './api';
import type { RecordsResponse } from './sync';
import type {
  PushConfig,
  PushConfigInput,
  PushDestinationView,
  PushFieldView,
  PushFilter,
  PushPreview,
  PushPreviewRecord,
  PushRecordError,
  PushRunSummary,
  PushView,
  SyncDirection,
} from '@/lib/push/schemas';

export type {
  PushConfig,
  PushConfigInput,
  PushDestinationView,
  PushFieldView,
  PushFilter,
  PushPreview,
  PushPreviewRecord,
  PushRecordError,
  PushRunSummary,
  PushView,
  SyncDirection,
};

/** The contract's lists, restated so the zod module stays out of the bundle (`satisfies` keeps them in step). */
export const DELETION_POLICY_LABELS = {
  keep: 'Leave it at the destination',
  archive: 'Archive it (Mailchimp: unsubscribe)',
  delete: 'Delete it at the destination',
} as const satisfies Record<PushConfig['deletionPolicy'], string>;

export const PUSH_SCHEDULE_LABELS = {
  manual: 'Only when run by hand',
  hourly: 'Hourly',
  daily: 'Daily',
} as const satisfies Record<PushConfig['schedule'], string>;

export const FILTER_OP_LABELS = {
  equals: 'is',
  not_equals: 'is not',
  in: 'is one of',
  is_set: 'is set',
  is_not_set: 'is not set',
} as const satisfies Record<PushFilter['op'], string>;

export const filterTakesValue = (op: PushFilter['op']) => op !== 'is_set' && op !== 'is_not_set';

export type PushChange = Partial<PushConfigInput> & { enabled?: boolean };

const connectionBase = (workspaceId: string, connectionId: string) => `/api/workspaces/${workspaceId}/connections/${connectionId}`;
const pushesBase = (workspaceId: string, connectionId: string) => `${connectionBase(workspaceId, connectionId)}/pushes`;

export async function fetchDestinations(workspaceId: string, connectionId: string, signal?: AbortSignal): Promise<PushDestinationView[]> {
  return (await apiFetch<{ destinations: PushDestinationView[] }>(`${connectionBase(workspaceId, connectionId)}/push/destinations`, { signal })).destinations;
}

export async function fetchTargetFields(
  workspaceId: string,
  connectionId: string,
  destination: string,
  targetId: string,
  signal?: AbortSignal,
): Promise<PushFieldView[]> {
  const path = `${connectionBase(workspaceId, connectionId)}/push/destinations/${encodeURIComponent(destination)}/targets/${encodeURIComponent(targetId)}/fields`;
  return (await apiFetch<{ fields: PushFieldView[] }>(path, { signal })).fields;
}

export async function fetchPushes(workspaceId: string, connectionId: string, signal?: AbortSignal): Promise<PushView[]> {
  return (await apiFetch<{ pushes: PushView[] }>(pushesBase(workspaceId, connectionId), { signal })).pushes;
}

export function createPush(workspaceId: string, connectionId: string, input: PushConfigInput): Promise<PushView> {
  return apiFetch(pushesBase(workspaceId, connectionId), { method: 'POST', body: input });
}

export function updatePush(workspaceId: string, connectionId: string, pushId: string, change: PushChange): Promise<PushView> {
  return apiFetch(`${pushesBase(workspaceId, connectionId)}/${pushId}`, { method: 'PATCH', body: change });
}

export async function deletePush(workspaceId: string, connectionId: string, pushId: string): Promise<void> {
  await apiFetch(`${pushesBase(workspaceId, connectionId)}/${pushId}`, { method: 'DELETE' });
}

export function previewPush(workspaceId: string, connectionId: string, input: PushConfigInput, signal?: AbortSignal): Promise<PushPreview> {
  return apiFetch(`${pushesBase(workspaceId, connectionId)}/preview`, { method: 'POST', body: input, signal });
}

export function runPush(workspaceId: string, connectionId: string, pushId: string): Promise<{ runId: string }> {
  return apiFetch(`${pushesBase(workspaceId, connectionId)}/${pushId}/run`, { method: 'POST' });
}

export interface PushErrorsPage {
  errors: PushRecordError[];
  nextCursor: string | null;
}

export function fetchPushErrors(workspaceId: string, connectionId: string, pushId: string, cursor: string | null, signal?: AbortSignal): Promise<PushErrorsPage> {
  const query = cursor ? `?${new URLSearchParams({ cursor })}` : '';
  return apiFetch(`${pushesBase(workspaceId, connectionId)}/${pushId}/errors${query}`, { signal });
}

/** Recent stored records of one source resource, whose mapped output is what a push reads. */
export async function fetchSourceSample(workspaceId: string, connectionId: string, resource: string, signal?: AbortSignal) {
  const query = new URLSearchParams({ resource, deleted: 'exclude', pageSize: '50' });
  return (await apiFetch<RecordsResponse>(`${connectionBase(workspaceId, connectionId)}/records?${query}`, { signal })).records;
}
