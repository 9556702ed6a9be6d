'use client';

import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { errorMessage } from '@/lib/client/api';
import { formatDateTime } from '@/lib/client/format';
import { isPendingDelivery, rejectedDeliveries } from '@/lib/client/webhooks';
import { useReplayWebhook, useWebhookDelivery } from './use-webhooks';
import { DetailFacts } from '@/components/ui/detail-facts';
import { CodeBlock } from '@/components/ui/code-block';

const pre =
  'max-h-96 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200 dark:bg-slate-950 dark:text-slate-200 dark:ring-slate-800';
const heading = 'mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400';

interface DeliveryDetailProps {
  workspaceId: string;
  eventId: string;
  canManage: boolean;
}

/** A delivery's request as stored (secrets redacted), what became of it, and Replay. */
export function DeliveryDetail({ workspaceId, eventId, canManage }: DeliveryDetailProps) {
  const query = useWebhookDelivery(workspaceId, eventId);
  const replay = useReplayWebhook(workspaceId);
  const event = query.data;
  if (query.isError) return <Alert>{query.error.message}</Alert>;
  if (!event) return <p className="text-sm text-slate-500 dark:text-slate-400">Loading the delivery…</p>;

  const facts: [string, string][] = [
    ['Request', `${event.method ?? 'POST'} ${event.url ?? '—'}`],
    ['Verified with', event.schemeLabel ?? '—'],
    ['Verification', event.verification === 'verified' ? 'Passed' : `Failed: ${event.verificationReason ?? 'unknown reason'}`],
    ['Provider event id', event.eventId ?? 'none (deduplicated by a hash of the body)'],
    ['Account', event.accountId ?? '—'],
    ['Happened at the provider', event.occurredAt ? formatDateTime(event.occurredAt) : 'not stated'],
    ['Processing attempts', String(event.attempts)],
  ];
  if (event.verification === 'failed') {
    const latest = event.lastReceivedAt ?? event.receivedAt;
    facts.unshift([
      'Rejected deliveries',
      `${rejectedDeliveries(event)} from ${formatDateTime(event.receivedAt)}${latest === event.receivedAt ? '' : ` to ${formatDateTime(latest)}`}; the request shown is the latest`,
    ]);
  }
  if (event.outcome) facts.push(['Outcome', event.outcome]);
  if (event.error) facts.push(['Error', event.error]);
  const replayable = canManage && event.verification === 'verified' && !isPendingDelivery(event.status);

  return (
    <div className="w-0 min-w-full space-y-4">
      <DetailFacts facts={facts} />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="min-w-0">
          <h3 className={heading}>Payload</h3>
          {event.payload === null ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">Not stored: the delivery failed verification.</p>
          ) : (
            <CodeBlock className={pre} label="Payload JSON">
              {JSON.stringify(event.payload, null, 2)}
            </CodeBlock>
          )}
        </div>
        <div className="min-w-0">
          <h3 className={heading}>Headers</h3>
          <CodeBlock className={pre} label="Request headers">
            {Object.entries(event.headers)
              .map(([name, value]) => `${name}: ${value}`)
              .join('\n')}
          </CodeBlock>
        </div>
      </div>
      {canManage ? (
        <div className="flex flex-wrap items-center gap-3">
          {/* aria-disabled, not disabled: the button keeps focus while the replay is processed. */}
          <Button
            size="sm"
            variant="secondary"
            aria-disabled={!replayable || replay.isPending}
            className="aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
            onClick={() => {
              if (replayable && !replay.isPending) replay.mutate(event.id);
            }}
          >
            {replay.isPending ? 'Replaying…' : 'Replay'}
          </Button>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {event.verification === 'verified'
              ? 'Processes the stored payload again, as if it had just arrived.'
              : 'Rejected deliveries have no stored payload to replay.'}
          </p>
        </div>
      ) : null}
      {replay.isError ? <Alert>{errorMessage(replay.error)}</Alert> : null}
      {replay.isSuccess ? <StatusMessage>Replayed: the delivery is queued for processing again.</StatusMessage> : null}
    </div>
  );
}
