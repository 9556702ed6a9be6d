'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { apiFetch } from '@/lib/client/api';
import { useRefreshWorkspaceData } from './use-members';

interface WorkspaceNameFormProps {
  workspaceId: string;
  initialName: string;
  canEdit: boolean;
}

export function WorkspaceNameForm({ workspaceId, initialName, canEdit }: WorkspaceNameFormProps) {
  const router = useRouter();
  const refresh = useRefreshWorkspaceData(workspaceId);
  const [name, setName] = useState(initialName);
  const [saved, setSaved] = useState(false);
  const rename = useMutation({
    mutationFn: (newName: string) =>
      apiFetch(`/api/workspaces/${workspaceId}`, { method: 'PATCH', body: { name: newName } }),
    onSuccess: () => {
      setSaved(true);
      void refresh();
      router.refresh(); // the sidebar and page title show the name
    },
  });

  // The confirmation fades on its own so it never lingers next to later messages.
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 4000);
    return () => clearTimeout(timer);
  }, [saved]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    rename.mutate(name);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <label htmlFor="workspace-name" className="block text-sm font-medium text-slate-700 dark:text-slate-200">
        Workspace name
      </label>
      <div className="flex flex-col gap-3 sm:flex-row">
        <Input
          id="workspace-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          readOnly={!canEdit}
          maxLength={80}
          aria-describedby={canEdit ? undefined : 'workspace-name-readonly'}
          className="sm:max-w-sm"
        />
        {canEdit ? (
          <Button type="submit" disabled={rename.isPending || name.trim() === ''} aria-busy={rename.isPending}>
            Save
          </Button>
        ) : null}
      </div>
      {canEdit ? null : (
        <p id="workspace-name-readonly" className="text-xs text-slate-500 dark:text-slate-400">
          Only admins and owners can rename the workspace.
        </p>
      )}
      {rename.isError ? <Alert>{rename.error.message}</Alert> : null}
      {saved ? <StatusMessage>Saved the workspace name.</StatusMessage> : null}
    </form>
  );
}
