'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { apiFetch, errorMessage } from '@/lib/client/api';
import type { WorkspaceSummary } from '@/lib/client/types';
import { rememberWorkspace } from '@/lib/client/workspace-cookie';

export function CreateWorkspaceForm() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const { workspace } = await apiFetch<{ workspace: WorkspaceSummary }>('/api/workspaces', {
        method: 'POST',
        body: { name },
      });
      rememberWorkspace(workspace.id);
      router.push(`/w/${workspace.id}`);
      router.refresh();
    } catch (caught) {
      setError(errorMessage(caught));
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert>{error}</Alert> : null}
      <Field
        label="Workspace name"
        htmlFor="workspace-name"
        hint="Usually your company or team. You can rename it later."
        hintId="workspace-name-hint"
      >
        <Input
          id="workspace-name"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={80}
          required
          autoFocus
          aria-describedby="workspace-name-hint"
        />
      </Field>
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        Create workspace
      </Button>
    </form>
  );
}
