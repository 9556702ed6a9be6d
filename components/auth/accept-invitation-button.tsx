'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { apiFetch, errorMessage } from '@/lib/client/api';

export function AcceptInvitationButton({ token, workspaceName }: { token: string; workspaceName: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function accept() {
    setPending(true);
    setError(null);
    try {
      const { workspaceId } = await apiFetch<{ workspaceId: string }>('/api/invitations/accept', { method: 'POST', body: { token } });
      router.replace(`/w/${workspaceId}`);
      router.refresh();
    } catch (caught) {
      setError(errorMessage(caught));
      setPending(false);
    }
  }

  return (
    <div className="space-y-3">
      {error ? <Alert>{error}</Alert> : null}
      <Button className="w-full" onClick={accept} disabled={pending} aria-busy={pending}>
        Accept and join {workspaceName}
      </Button>
    </div>
  );
}
