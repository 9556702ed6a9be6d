'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import type { CreatedApiKey } from '@/lib/client/api-keys';
import { ApiKeysTable } from './api-keys-table';
import { CreateApiKeyForm } from './create-api-key-form';
import { SecretDialog } from './secret-dialog';
import { useApiKeys } from './use-api-keys';

interface ApiKeysViewProps {
  workspaceId: string;
  canManage: boolean;
}

/** Settings → API keys: owners and admins create, list and revoke; everyone else reads a note. */
export function ApiKeysView({ workspaceId, canManage }: ApiKeysViewProps) {
  const keys = useApiKeys(workspaceId, canManage);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const usage = (
    <p className="text-sm text-slate-600 dark:text-slate-400">
      Keys let your own systems and agents call the{' '}
      <TextLink href={`/w/${workspaceId}/api-reference`}>Actions API</TextLink> (<code className="font-mono text-xs">/api/v1</code>) and the MCP
      endpoint (<code className="font-mono text-xs">/api/mcp</code>) for this workspace. Each call shows in{' '}
      <TextLink href={`/w/${workspaceId}/actions`}>Actions</TextLink>.
    </p>
  );

  if (!canManage) {
    return (
      <SectionCard id="api-keys-heading" title="API keys">
        <div className="space-y-3">
          {usage}
          <p className="text-sm text-slate-700 dark:text-slate-300">Only owners and admins can see, create and revoke API keys.</p>
        </div>
      </SectionCard>
    );
  }

  const active = keys.data?.filter((key) => key.revokedAt === null).length ?? 0;
  return (
    <div className="space-y-8">
      <SectionCard id="create-api-key-heading" title="Create an API key" description={usage}>
        <CreateApiKeyForm workspaceId={workspaceId} onCreated={setCreated} />
      </SectionCard>
      <SectionCard
        id="api-keys-heading"
        title="API keys"
        flush
        description={keys.data ? `${active} active of ${keys.data.length}. Only the prefix is stored in clear.` : undefined}
      >
        {keys.isError ? <Alert className="m-5">{keys.error.message}</Alert> : null}
        {keys.isPending ? <p className="px-5 py-4 text-sm text-slate-500 dark:text-slate-400">Loading keys…</p> : null}
        {keys.data && keys.data.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-600 dark:text-slate-400">No API keys yet.</p>
        ) : null}
        {keys.data && keys.data.length > 0 ? <ApiKeysTable workspaceId={workspaceId} keys={keys.data} /> : null}
      </SectionCard>
      <SecretDialog created={created} onClose={() => setCreated(null)} />
    </div>
  );
}
