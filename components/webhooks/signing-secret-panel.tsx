'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { errorMessage } from '@/lib/client/api';
import { formatDateTime } from '@/lib/client/format';
import type { WebhookSetup } from '@/lib/client/webhooks';
import { CopyButton } from './copy-button';
import { EndpointUrl } from './endpoint-url';
import { useRotateSigningSecret } from './use-webhooks';

interface SigningSecretPanelProps {
  workspaceId: string;
  connectionId: string;
  setup: WebhookSetup;
  url: string;
  canManage: boolean;
}

/** The connection's Standard Webhooks endpoint; admins create or rotate its secret and see it once. */
export function SigningSecretPanel({ workspaceId, connectionId, setup, url, canManage }: SigningSecretPanelProps) {
  const rotate = useRotateSigningSecret(workspaceId, connectionId);
  const [confirming, setConfirming] = useState(false);
  const secret = setup.signingSecret;
  const revealed = rotate.data;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        For any tool that can post a webhook: sign with the Standard Webhooks scheme (webhook-id, webhook-timestamp,
        webhook-signature) and each delivery triggers an incremental sync of this connection. A <code className="font-mono text-xs">type</code>{' '}
        such as <code className="font-mono text-xs">contacts.updated</code> limits it to that resource.
      </p>
      {url ? <EndpointUrl url={url} label="Standard Webhooks endpoint URL" /> : null}
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {secret.configured && secret.createdAt
          ? `Signing secret created ${formatDateTime(secret.createdAt)}.`
          : 'No signing secret yet: deliveries to this endpoint are refused until one exists.'}
        {secret.previousValidUntil ? ` The previous secret is accepted until ${formatDateTime(secret.previousValidUntil)}.` : ''}
      </p>
      {revealed ? (
        <div role="status" className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3 dark:border-amber-900 dark:bg-amber-950/50">
          <p className="text-sm font-medium text-amber-900 dark:text-amber-200">Copy this secret now: it is not shown again.</p>
          <span className="flex items-center gap-1">
            <code className="min-w-0 font-mono text-xs break-all text-amber-950 dark:text-amber-100" aria-label="New signing secret">
              {revealed.secret}
            </code>
            <CopyButton value={revealed.secret} label="Copy the signing secret" />
          </span>
        </div>
      ) : null}
      {canManage ? (
        <Button
          variant="secondary"
          size="sm"
          disabled={rotate.isPending || setup.connectionStatus === 'disconnected'}
          onClick={() => (secret.configured ? setConfirming(true) : rotate.mutate())}
        >
          {secret.configured ? 'Rotate signing secret' : 'Create signing secret'}
        </Button>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">Only owners and admins can create or rotate the signing secret.</p>
      )}
      {rotate.isError ? <Alert>{errorMessage(rotate.error)}</Alert> : null}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Rotate the signing secret?"
        description="A new secret is created and shown once. The current one keeps working for 24 hours, so senders can switch over."
        confirmLabel="Rotate"
        onConfirm={() => {
          setConfirming(false);
          rotate.mutate();
        }}
      />
    </div>
  );
}
