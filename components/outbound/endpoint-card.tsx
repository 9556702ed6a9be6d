'use client';

import { useState } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { errorMessage } from '@/lib/client/api';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import type { OutboundEndpoint } from '@/lib/client/outbound';
import { DeliveryLog } from './delivery-log';
import { SecretReveal } from './secret-reveal';
import { useDeleteEndpoint, useRotateEndpointSecret, useSendTestEvent, useUpdateEndpoint } from './use-outbound';

interface EndpointCardProps {
  workspaceId: string;
  endpoint: OutboundEndpoint;
  canManage: boolean;
  /** The secret just made with this endpoint, shown once. */
  newSecret: string | null;
  onSecretSeen: () => void;
  open: boolean;
  onToggle: () => void;
}

function StateBadge({ endpoint }: { endpoint: OutboundEndpoint }) {
  if (!endpoint.enabled) return <Badge tone="danger">Disabled</Badge>;
  if (endpoint.failingSince) return <Badge tone="warning">Failing</Badge>;
  return <Badge tone="success">Enabled</Badge>;
}

export function EndpointCard({ workspaceId, endpoint, canManage, newSecret, onSecretSeen, open, onToggle }: EndpointCardProps) {
  const update = useUpdateEndpoint(workspaceId, endpoint.id);
  const rotate = useRotateEndpointSecret(workspaceId, endpoint.id);
  const test = useSendTestEvent(workspaceId, endpoint.id);
  const remove = useDeleteEndpoint(workspaceId, endpoint.id);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const error = [update, rotate, test, remove].find((m) => m.isError)?.error;
  const logId = `endpoint-${endpoint.id}-log`;
  const { succeeded, failed, retrying, pending } = endpoint.deliveries;

  return (
    <Card className="p-4 sm:p-5">
      <article aria-label={endpoint.description || endpoint.url} className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0 space-y-1">
            <h3 className="font-mono text-sm font-medium break-all text-slate-900 dark:text-slate-100">{endpoint.url}</h3>
            {endpoint.description ? <p className="text-sm text-slate-600 dark:text-slate-400">{endpoint.description}</p> : null}
          </div>
          <StateBadge endpoint={endpoint} />
        </div>
        {!endpoint.enabled && endpoint.disabledReason ? <p className="text-sm text-red-700 dark:text-red-300">{endpoint.disabledReason}</p> : null}
        {endpoint.enabled && endpoint.failingSince ? (
          <p className="text-sm text-amber-800 dark:text-amber-300">Every delivery has failed since {formatDateTime(endpoint.failingSince)}; retries continue.</p>
        ) : null}
        <ul className="flex flex-wrap gap-1.5" aria-label="Events sent">
          {endpoint.eventTypes.map((type) => (
            <li key={type}>
              <Badge tone="accent">{type}</Badge>
            </li>
          ))}
        </ul>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {succeeded} delivered · {failed} failed · {retrying + pending} waiting · added {formatRelativeTime(endpoint.createdAt)}
          {endpoint.previousSecretValidUntil ? ` · previous secret signs until ${formatDateTime(endpoint.previousSecretValidUntil)}` : ''}
        </p>
        {newSecret ? <SecretReveal secret={newSecret} onDone={onSecretSeen} /> : null}
        {rotate.data ? <SecretReveal secret={rotate.data.secret} previousValidUntil={rotate.data.previousValidUntil} onDone={() => rotate.reset()} /> : null}
        {test.isSuccess ? <StatusMessage>Test event queued: it shows in the log below in a moment.</StatusMessage> : null}
        {error ? <Alert>{errorMessage(error)}</Alert> : null}
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" aria-expanded={open} aria-controls={logId} onClick={onToggle}>
            {open ? 'Hide deliveries' : 'Show deliveries'}
          </Button>
          {canManage ? (
            <>
              <Button
                size="sm"
                variant="secondary"
                disabled={!endpoint.enabled || test.isPending}
                onClick={() => test.mutate(undefined, { onSuccess: () => (open ? undefined : onToggle()) })}
              >
                Send test event
              </Button>
              <Button size="sm" variant="secondary" disabled={rotate.isPending} onClick={() => setConfirm('rotate')}>
                Rotate secret
              </Button>
              <Button size="sm" variant="secondary" disabled={update.isPending} onClick={() => update.mutate({ enabled: !endpoint.enabled })}>
                {endpoint.enabled ? 'Disable' : 'Enable'}
              </Button>
              <Button size="sm" variant="dangerGhost" disabled={remove.isPending} onClick={() => setConfirm('delete')}>
                Delete
              </Button>
            </>
          ) : null}
        </div>
        {open ? (
          <div id={logId}>
            <DeliveryLog workspaceId={workspaceId} endpointId={endpoint.id} canManage={canManage} />
          </div>
        ) : null}
      </article>
      <ConfirmDialog
        open={confirm === 'rotate'}
        onOpenChange={(o) => setConfirm(o ? 'rotate' : null)}
        title="Rotate the signing secret?"
        description="A new secret is created and shown once. For 24 hours every delivery carries signatures from both, so your receiver can switch over without losing any."
        confirmLabel="Rotate"
        onConfirm={() => {
          setConfirm(null);
          rotate.mutate();
        }}
      />
      <ConfirmDialog
        open={confirm === 'delete'}
        onOpenChange={(o) => setConfirm(o ? 'delete' : null)}
        title="Delete this endpoint?"
        description="Nothing more is sent to it, and its delivery log is deleted with it."
        confirmLabel="Delete endpoint"
        onConfirm={() => {
          setConfirm(null);
          remove.mutate();
        }}
      />
    </Card>
  );
}
