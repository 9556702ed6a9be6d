'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '@/lib/client/api';
import {
  applyMappingTemplate,
  fetchMappingEditor,
  isLiveJob,
  previewMapping,
  rollbackMapping,
  saveMapping,
  saveMappingTemplate,
  type MappingDefinition,
  type MappingTarget,
  type PreviewResponse,
} from '@/lib/client/mapping';

const editorKey = (t: MappingTarget) => ['mapping-editor', t.workspaceId, t.connectionId, t.resource] as const;

/** A 404 (or a malformed id, 400) will not fix itself: do not retry it. */
const retryUnlessMissing = (count: number, error: Error) =>
  count < 1 && !(error instanceof ApiError && (error.status === 404 || error.status === 400));

/** The editor's data; polls every second while a re-apply job is queued or running. */
export function useMappingEditor(target: MappingTarget) {
  return useQuery({
    queryKey: editorKey(target),
    queryFn: ({ signal }) => fetchMappingEditor(target, signal),
    retry: retryUnlessMissing,
    refetchInterval: (q) => (isLiveJob(q.state.data?.editor.job?.status) ? 1000 : false),
  });
}

const PREVIEW_DELAY_MS = 400;

/**
 * The preview of a definition, asked for 400 ms after it stops changing. While a newer draft
 * waits (or a draft is refused), the last good answer stays on screen.
 */
export function usePreview(target: MappingTarget, definition: MappingDefinition | null) {
  const json = definition ? JSON.stringify(definition) : '';
  const [settled, setSettled] = useState(json);
  useEffect(() => {
    if (json === settled) return;
    const timer = setTimeout(() => setSettled(json), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [json, settled]);

  const query = useQuery({
    queryKey: ['mapping-preview', target.workspaceId, target.connectionId, target.resource, settled],
    queryFn: ({ signal }) => previewMapping(target, JSON.parse(settled) as MappingDefinition, signal),
    enabled: settled !== '',
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
  // A refused draft has no answer of its own: keep showing the last one that worked.
  const [lastGood, setLastGood] = useState<PreviewResponse | undefined>(undefined);
  if (query.data && query.data !== lastGood) setLastGood(query.data);
  const sent = settled ? (JSON.parse(settled) as MappingDefinition) : null;
  return { query, data: query.data ?? lastGood, sent, waiting: json !== settled || query.isFetching };
}

/** Save, roll back, and templates: each makes a new version, whose re-apply job the editor then follows. */
export function useMappingActions(target: MappingTarget, onNewVersion: () => void) {
  const queryClient = useQueryClient();
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: editorKey(target) }),
      queryClient.invalidateQueries({ queryKey: ['records', target.workspaceId] }),
      queryClient.invalidateQueries({ queryKey: ['activity', target.workspaceId] }),
    ]);
  };
  const newVersion = {
    onSuccess: async () => {
      onNewVersion();
      await refresh();
    },
  };
  return {
    save: useMutation({ mutationFn: (definition: MappingDefinition) => saveMapping(target, definition), ...newVersion }),
    rollback: useMutation({ mutationFn: (version: number) => rollbackMapping(target, version), ...newVersion }),
    applyTemplate: useMutation({ mutationFn: (templateId: string) => applyMappingTemplate(target, templateId), ...newVersion }),
    saveTemplate: useMutation({ mutationFn: (name: string) => saveMappingTemplate(target, name), onSuccess: refresh }),
  };
}
