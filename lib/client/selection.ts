// A connection's selection (what its provider offers to choose, e.g. GitHub repositories) as the
// browser sees it: the server's SelectionView, fetched and changed at .../selection.
import type { SelectionView } from '@/lib/connections/selection';
import { apiFetch } from './api';

export type Selection = SelectionView;
export interface SelectionResponse {
  selection: Selection;
}

const selectionPath = (workspaceId: string, connectionId: string) => `/api/workspaces/${workspaceId}/connections/${connectionId}/selection`;

export function fetchSelection(workspaceId: string, connectionId: string, signal?: AbortSignal): Promise<SelectionResponse> {
  return apiFetch<SelectionResponse>(selectionPath(workspaceId, connectionId), { signal });
}

export function saveSelection(workspaceId: string, connectionId: string, chosen: string[]): Promise<SelectionResponse> {
  return apiFetch<SelectionResponse>(selectionPath(workspaceId, connectionId), { method: 'PUT', body: { chosen } });
}
