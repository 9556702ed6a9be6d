'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { focusRing } from '@/components/ui/focus-ring';
import { TextLink } from '@/components/ui/text-link';
import { mappingPageUrl } from '@/lib/client/mapping';
import type { Connection } from '@/lib/client/types';
import { useUpdateConnection } from './use-sync-data';

interface ResourceSettingsProps {
  workspaceId: string;
  connection: Connection;
  canManage: boolean;
  /** Everything the provider offers, in its order. */
  resources: { id: string; label: string }[];
}

/** Which of the provider's resources the connection syncs: checkboxes saved on change. */
export function ResourceSettings({ workspaceId, connection, canManage, resources }: ResourceSettingsProps) {
  const update = useUpdateConnection(workspaceId, connection.id);
  const serverValue = connection.resources.join(',');
  const [seen, setSeen] = useState(serverValue);
  const [selected, setSelected] = useState(connection.resources);
  if (seen !== serverValue) {
    setSeen(serverValue);
    setSelected(connection.resources);
  }
  const legendId = `sync-resources-${connection.id}`;

  if (!canManage) {
    const labels = resources.filter((r) => selected.includes(r.id)).map((r) => r.label);
    return (
      <div className="space-y-2">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          <span className="font-medium text-slate-900 dark:text-slate-100">Resources to sync:</span>{' '}
          {labels.length ? labels.join(', ') : 'none selected'}
        </p>
        <MappingLinks workspaceId={workspaceId} connectionId={connection.id} resources={resources.filter((r) => selected.includes(r.id))} verb="View" />
      </div>
    );
  }

  function toggle(id: string, checked: boolean) {
    const previous = selected;
    // Keep the provider's order, whatever order the boxes were ticked in.
    const next = resources.map((r) => r.id).filter((r) => (r === id ? checked : previous.includes(r)));
    setSelected(next);
    update.mutate(
      { resources: next },
      { onSuccess: (data) => setSelected(data.connection.resources), onError: () => setSelected(previous) },
    );
  }

  const checkedCount = resources.filter((r) => selected.includes(r.id)).length;
  return (
    <fieldset className="space-y-2" aria-describedby={`${legendId}-hint`}>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Resources to sync</legend>
      <p id={`${legendId}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
        Saved as soon as you change them; the next sync uses them. At least one must stay selected, or there would be nothing to
        sync — to stop syncing, pause the connection instead.
      </p>
      <ul className="flex flex-wrap gap-x-6 gap-y-2">
        {resources.map((resource) => {
          const checked = selected.includes(resource.id);
          const lastOne = checked && checkedCount === 1;
          return (
            <li key={resource.id}>
              <label className="inline-flex items-center gap-2 text-sm text-slate-800 dark:text-slate-200">
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={update.isPending || lastOne}
                  onChange={(event) => toggle(resource.id, event.target.checked)}
                  aria-describedby={lastOne ? `${legendId}-hint` : undefined}
                  className={`size-4 rounded border-slate-300 accent-indigo-600 dark:border-slate-600 dark:accent-indigo-400 ${focusRing}`}
                />
                {resource.label}
                {lastOne ? <span className="text-xs text-slate-500 dark:text-slate-400">(the last one stays selected)</span> : null}
              </label>
            </li>
          );
        })}
      </ul>
      <p role="status" className="text-xs text-slate-500 dark:text-slate-400">
        {update.isPending ? 'Saving…' : update.isSuccess ? 'Resources saved.' : ''}
      </p>
      {update.isError ? <Alert>{update.error.message}</Alert> : null}
      <MappingLinks workspaceId={workspaceId} connectionId={connection.id} resources={resources.filter((r) => selected.includes(r.id))} verb="Edit" />
    </fieldset>
  );
}

interface MappingLinksProps {
  workspaceId: string;
  connectionId: string;
  resources: { id: string; label: string }[];
  verb: 'Edit' | 'View';
}

/** How each synced resource's records become model records: one link per resource to its mapping editor. */
function MappingLinks({ workspaceId, connectionId, resources, verb }: MappingLinksProps) {
  if (resources.length === 0) return null;
  return (
    <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1 pt-1 text-sm">
      <span className="font-medium text-slate-700 dark:text-slate-200">Field mappings:</span>
      <ul className="flex flex-wrap gap-x-4 gap-y-1">
        {resources.map((resource) => (
          <li key={resource.id}>
            <TextLink href={mappingPageUrl(workspaceId, connectionId, resource.id)}>
              {verb} {resource.label} mapping
            </TextLink>
          </li>
        ))}
      </ul>
    </div>
  );
}
