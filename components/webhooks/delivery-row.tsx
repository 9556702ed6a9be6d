'use client';

import Link from 'next/link';
import { lazy, Suspense, useState } from 'react';
import { RunStatusBadge } from '@/components/sync/run-status-badge';
import { Button } from '@/components/ui/button';
import { focusRing } from '@/components/ui/focus-ring';
import { LoadingNote } from '@/components/ui/loading-note';
import { formatDateTime } from '@/lib/client/format';
import { formatLatency, processingMs, rejectedDeliveries, type WebhookDelivery } from '@/lib/client/webhooks';
import { WebhookStatusBadge } from './webhook-status-badge';

// A delivery's detail (payload, headers, attempts, replay) opens on request and fetches its own
// data, so its code comes then too instead of with both webhook pages' first load.
// React.lazy, not next/dynamic: next/dynamic adds its own loader (~1.5 KB gzipped) to the first load.
const DeliveryDetail = lazy(() => import('./delivery-detail').then((module) => ({ default: module.DeliveryDetail })));

interface DeliveryRowProps {
  workspaceId: string;
  delivery: WebhookDelivery;
  showConnection: boolean;
  canManage: boolean;
  columns: number;
}

const muted = 'block text-xs text-slate-500 dark:text-slate-400';
const link = `rounded-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing}`;

export function DeliveryRow({ workspaceId, delivery: d, showConnection, canManage, columns }: DeliveryRowProps) {
  const [open, setOpen] = useState(false);
  const panelId = `delivery-${d.id}`;
  const latency = processingMs(d);
  const label = d.eventType ?? (d.verification === 'failed' ? 'unverified delivery' : 'delivery');
  return (
    <>
      <tr className={open ? 'bg-slate-50 dark:bg-slate-800/40' : 'hover:bg-slate-50 dark:hover:bg-slate-800/40'}>
        <th scope="row" className="px-3 py-3 text-left font-normal sm:px-4 sm:pl-5">
          <time dateTime={d.receivedAt} className="block text-slate-900 sm:whitespace-nowrap dark:text-slate-100">
            {formatDateTime(d.receivedAt)}
          </time>
          <span className={`${muted} md:hidden`}>{label}</span>
        </th>
        {showConnection ? (
          <td className="hidden px-3 py-3 sm:px-4 lg:table-cell">
            {d.connectionId ? (
              <Link href={`/w/${workspaceId}/integrations/${d.connectionId}/webhooks`} className={link}>
                {d.connectionName ?? 'Connection'}
              </Link>
            ) : (
              <span className="text-slate-500 dark:text-slate-400">None</span>
            )}
          </td>
        ) : null}
        <td className="hidden px-3 py-3 sm:px-4 md:table-cell">
          <code className="font-mono text-xs whitespace-nowrap text-slate-900 dark:text-slate-100">{label}</code>
          {d.resource ? <span className={muted}>{d.resource}</span> : null}
        </td>
        <td className="hidden px-3 py-3 sm:px-4 sm:table-cell">
          {d.verification === 'verified' ? (
            <span className="text-emerald-700 dark:text-emerald-400">Verified</span>
          ) : (
            <span className="text-red-700 dark:text-red-400" title={d.verificationReason ?? undefined}>
              Failed
            </span>
          )}
          {d.verification === 'failed' ? (
            <span className={muted} title={d.lastReceivedAt ? `The latest at ${formatDateTime(d.lastReceivedAt)}` : undefined}>
              {rejectedDeliveries(d)}
            </span>
          ) : (
            <span className={muted}>{d.duplicateCount > 0 ? `+${d.duplicateCount} duplicate${d.duplicateCount === 1 ? '' : 's'}` : 'Unique'}</span>
          )}
        </td>
        <td className="px-3 py-3 sm:px-4">
          <WebhookStatusBadge status={d.status} />
          {d.replayCount > 0 ? <span className={muted}>Replayed ×{d.replayCount}</span> : null}
        </td>
        <td
          className="hidden px-3 py-3 whitespace-nowrap text-slate-700 tabular-nums sm:px-4 lg:table-cell dark:text-slate-300"
          title="From arrival to processed (a sync waits for the deliveries to pause first)"
        >
          {/* After a replay the time since the original arrival says nothing about processing. */}
          {latency === null || d.replayCount > 0 ? '—' : formatLatency(latency)}
        </td>
        <td className="hidden px-3 py-3 sm:px-4 sm:table-cell">
          {d.syncRunId ? (
            <span className="flex flex-col items-start gap-1">
              <Link href={`/w/${workspaceId}/sync-history/${d.syncRunId}`} className={link}>
                View run
              </Link>
              {d.runStatus ? <RunStatusBadge status={d.runStatus} /> : null}
            </span>
          ) : (
            <span className="text-slate-500 dark:text-slate-400">—</span>
          )}
        </td>
        <td className="px-3 py-3 text-right sm:px-4 sm:pr-5">
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Show details of the ${label} delivery received ${formatDateTime(d.receivedAt)}`}
            aria-expanded={open}
            aria-controls={open ? panelId : undefined}
            onClick={() => setOpen(!open)}
          >
            <span aria-hidden="true" className={`inline-block transition-transform ${open ? 'rotate-90' : ''}`}>
              ›
            </span>
            <span className="hidden sm:inline">Details</span>
          </Button>
        </td>
      </tr>
      {open ? (
        <tr id={panelId} className="bg-slate-50 dark:bg-slate-800/40">
          <td colSpan={columns} className="px-3 pb-5 sm:px-5">
            <Suspense fallback={<LoadingNote>Loading the delivery…</LoadingNote>}>
              <DeliveryDetail workspaceId={workspaceId} eventId={d.id} canManage={canManage} />
            </Suspense>
          </td>
        </tr>
      ) : null}
    </>
  );
}
