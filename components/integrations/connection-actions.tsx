'use client';

import { useState } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { isTroubled } from '@/lib/client/connections';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { ApiKeyDialog } from './api-key-dialog';
import { OAuthStartButton } from './oauth-start-button';
import { useConnectionActions } from './use-connection-actions';

interface ConnectionActionsProps {
  workspaceId: string;
  connection: Connection;
  provider: CatalogProvider | undefined;
}

/** What an owner or admin can do with a connection; members and viewers never see this. */
export function ConnectionActions({ workspaceId, connection, provider }: ConnectionActionsProps) {
  const [confirming, setConfirming] = useState(false);
  const { test, setPaused, disconnect, feedback, busy } = useConnectionActions(workspaceId, connection);
  const disconnected = connection.status === 'disconnected';
  const urgent = disconnected || isTroubled(connection.status);
  const name = connection.displayName;
  // Until the catalog loads we do not know whether reconnecting is a redirect or a form.
  // An API-key connection reconnects with a key, even where its provider also offers OAuth.
  const reconnect = !provider ? null : connection.authKind === 'api_key' ? (
    <ApiKeyDialog provider={provider} workspaceId={workspaceId} triggerText="Reconnect" />
  ) : (
    <OAuthStartButton
      providerId={connection.provider}
      workspaceId={workspaceId}
      connectionId={connection.id}
      variant={urgent ? 'primary' : 'secondary'}
    >
      Reconnect
    </OAuthStartButton>
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {urgent ? reconnect : null}
        {disconnected ? null : (
          <>
            <Button variant="secondary" size="sm" onClick={() => test.mutate()} disabled={busy} aria-busy={test.isPending}>
              {test.isPending ? 'Testing…' : 'Test connection'}
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setPaused.mutate(connection.status !== 'paused')}
              disabled={busy}
              aria-busy={setPaused.isPending}
            >
              {connection.status === 'paused' ? 'Resume' : 'Pause'}
            </Button>
            {urgent ? null : reconnect}
            <Button
              variant="dangerGhost"
              size="sm"
              disabled={busy}
              onClick={() => {
                disconnect.reset();
                setConfirming(true);
              }}
            >
              Disconnect
            </Button>
          </>
        )}
      </div>
      {feedback?.kind === 'status' ? <StatusMessage>{feedback.text}</StatusMessage> : null}
      {feedback?.kind === 'alert' ? <Alert>{feedback.text}</Alert> : null}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Disconnect ${name}?`}
        description={
          <>
            Integration Hub deletes its copy of the credentials at once and revokes access at {connection.providerName}{' '}
            where {connection.providerName} allows it. Syncing stops. The connection&apos;s history and settings are kept, so
            you can reconnect later.
          </>
        }
        confirmLabel="Disconnect"
        onConfirm={() => disconnect.mutate(undefined, { onSuccess: () => setConfirming(false) })}
        pending={disconnect.isPending}
        error={disconnect.isError ? disconnect.error.message : null}
      />
    </div>
  );
}
