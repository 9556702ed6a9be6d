'use client';

import type { UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SectionCard } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import type { MappingVersion, SavedVersion } from '@/lib/client/mapping';

interface VersionsListProps {
  versions: readonly MappingVersion[];
  canEdit: boolean;
  dirty: boolean;
  rollback: UseMutationResult<SavedVersion, Error, number>;
}

/** Every saved version, newest first; an admin can make an older one the active one again. */
export function VersionsList({ versions, canEdit, dirty, rollback }: VersionsListProps) {
  const [confirming, setConfirming] = useState<number | null>(null);
  return (
    <SectionCard id="mapping-versions-heading" title="Versions" description="Each save is a new version. Rolling back saves an old one again as the newest." flush>
      {versions.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600 dark:text-slate-400">Nothing saved yet.</p>
      ) : (
        <ol className="divide-y divide-slate-200 dark:divide-slate-800">
          {versions.map((v) => (
            <li key={v.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-5 py-3">
              <div className="min-w-0 text-sm">
                <p id={`mapping-version-${v.version}`} className="flex flex-wrap items-center gap-2 font-medium text-slate-900 dark:text-slate-100">
                  Version {v.version}
                  {v.isActive ? <Badge tone="success">Active</Badge> : null}
                </p>
                <p className="mt-0.5 text-xs break-words text-slate-600 dark:text-slate-400">
                  {v.createdByEmail ?? 'Set up automatically'} ·{' '}
                  <time dateTime={v.createdAt} title={formatDateTime(v.createdAt)}>
                    {formatRelativeTime(v.createdAt)}
                  </time>
                </p>
              </div>
              {canEdit && !v.isActive ? (
                <Button
                  variant="secondary"
                  size="sm"
                  aria-describedby={`mapping-version-${v.version}`}
                  onClick={() => {
                    rollback.reset();
                    setConfirming(v.version);
                  }}
                >
                  Roll back to this version
                </Button>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => (open ? null : setConfirming(null))}
        title={`Roll back to version ${confirming}?`}
        description={
          <>
            Version {confirming} is saved again as the newest version and re-applied to every stored record.
            {dirty ? ' Your unsaved changes in the editor are thrown away.' : ''}
          </>
        }
        confirmLabel="Roll back"
        pending={rollback.isPending}
        error={rollback.isError ? rollback.error.message : null}
        onConfirm={() => rollback.mutate(confirming!, { onSuccess: () => setConfirming(null) })}
      />
    </SectionCard>
  );
}
