// Field mappings as the browser sees them (lib/mapping/editor.ts), and the calls the mapping
// editor makes. Saving and previewing answer 422 with the mapping's problems, each at a path such
// as `rows[2].transforms[0].timeZone`; those are kept on the error so the editor can place them.
import { ApiError, apiFetch } from './api';
import type { applyTemplate, getMappingEditor, previewMapping as previewOnServer, saveMapping as saveOnServer, saveTemplate } from '@/lib/mapping/editor';
import type { MappingDefinition as ServerMappingDefinition, MappingIssue } from '@/lib/mapping/language';
import type { Jsonified } from './types';

/** What the editor edits: a mapping as written (optional arguments may be left out). */
export type MappingDefinition = ServerMappingDefinition;
export type DraftRow = MappingDefinition['rows'][number];
export type DraftSource = DraftRow['source'];
export type DraftTransform = NonNullable<DraftRow['transforms']>[number];
export type DraftValidation = NonNullable<DraftRow['validations']>[number];
export type ScalarValue = string | number | boolean;
export type { MappingIssue };

/** The server's answers (lib/mapping/editor.ts), with dates as ISO strings. */
export type MappingEditor = Jsonified<Awaited<ReturnType<typeof getMappingEditor>>>;
export type PreviewResponse = Jsonified<Awaited<ReturnType<typeof previewOnServer>>>;
export type PreviewResult = PreviewResponse['results'][number];
export type SavedVersion = Jsonified<Awaited<ReturnType<typeof saveOnServer>>>;
export type SavedTemplate = Jsonified<Awaited<ReturnType<typeof saveTemplate>>>;
export type AppliedTemplate = Jsonified<Awaited<ReturnType<typeof applyTemplate>>>;
export type JobStatus = MappingJob['status'];

export type ModelFieldInfo = MappingEditor['modelFields'][number];
export type SourceFieldInfo = MappingEditor['sourceFields'][number];
export type EditorWarning = MappingEditor['warnings'][number];
export type MappingVersion = MappingEditor['versions'][number];
export type MappingTemplate = MappingEditor['templates'][number];
export type MappingJob = NonNullable<MappingEditor['job']>;

export const isLiveJob = (status: JobStatus | undefined) => status === 'queued' || status === 'running';

/** An answer the server refused; `issues` is filled when it refused the mapping itself (422). */
export class MappingRequestError extends ApiError {
  readonly issues: MappingIssue[];
  constructor(error: ApiError) {
    super(error.status, error.message, { code: error.code, details: error.details });
    this.name = 'MappingRequestError';
    this.issues = issuesOf(error.details);
  }
}

function issuesOf(details: unknown): MappingIssue[] {
  if (!details || typeof details !== 'object' || !('issues' in details) || !Array.isArray(details.issues)) return [];
  return details.issues.flatMap((issue: unknown) => {
    if (!issue || typeof issue !== 'object') return [];
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    // zod's own 400 issues carry paths as arrays; the mapping's 422 issues carry strings.
    const text = typeof path === 'string' ? path : Array.isArray(path) ? path.join('.') : '';
    return [{ path: text, message }];
  });
}

async function request<T>(path: string, method: 'GET' | 'POST' | 'PUT', body?: unknown, signal?: AbortSignal): Promise<T> {
  try {
    return await apiFetch<T>(path, { method, body, signal });
  } catch (error) {
    throw error instanceof ApiError ? new MappingRequestError(error) : error;
  }
}

export const mappingUrl = (workspaceId: string, connectionId: string, resource: string) =>
  `/api/workspaces/${workspaceId}/connections/${connectionId}/mappings/${encodeURIComponent(resource)}`;

export const mappingPageUrl = (workspaceId: string, connectionId: string, resource: string) =>
  `/w/${workspaceId}/integrations/${connectionId}/mappings/${encodeURIComponent(resource)}`;

export interface MappingTarget {
  workspaceId: string;
  connectionId: string;
  resource: string;
}

const base = ({ workspaceId, connectionId, resource }: MappingTarget) => mappingUrl(workspaceId, connectionId, resource);

export const fetchMappingEditor = (target: MappingTarget, signal?: AbortSignal) =>
  request<{ editor: MappingEditor }>(base(target), 'GET', undefined, signal);

export const saveMapping = (target: MappingTarget, definition: MappingDefinition) =>
  request<SavedVersion>(base(target), 'PUT', { definition });

export const previewMapping = (target: MappingTarget, definition: MappingDefinition, signal?: AbortSignal) =>
  request<PreviewResponse>(`${base(target)}/preview`, 'POST', { definition }, signal);

export const rollbackMapping = (target: MappingTarget, version: number) =>
  request<SavedVersion>(`${base(target)}/rollback`, 'POST', { version });

export const saveMappingTemplate = (target: MappingTarget, name: string) =>
  request<SavedTemplate>(`${base(target)}/templates`, 'POST', { name });

export const applyMappingTemplate = (target: MappingTarget, templateId: string) =>
  request<AppliedTemplate>(`${base(target)}/apply-template`, 'POST', { templateId });
