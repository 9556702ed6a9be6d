'use client';

import { useId, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { Select } from '@/components/ui/select';
import { errorMessage } from '@/lib/client/api';
import { formatRelativeTime } from '@/lib/client/format';
import { OUTBOUND_DELIVERY_STATUSES, type OutboundDelivery, type OutboundDeliveryStatus } from '@/lib/client/outbound';
import { useOutboundDeliveries, useReplayDelivery } from './use-outbound';

const TONE = { pending: 'neutral', retrying: 'warning', succeeded: 'success', failed: 'danger' } as const;
const LABEL: Record<OutboundDeliveryStatus, string> = { pending: 'Pending', retrying: 'Retrying', succeeded: 'Delivered', failed: 'Failed' };
const th = 'px-3 py-2 font-medium whitespace-nowrap';

export function DeliveryStatusBadge({ status }: { status: OutboundDeliveryStatus }) {
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}

interface DeliveryLogProps {
  workspaceId: string;
  endpointId: string;
  canManage: boolean;
}

/** One endpoint's deliveries: what was sent, how the receiver answered, and a replay. */
export function DeliveryLog({ workspaceId, endpointId, canManage }: DeliveryLogProps) {
  const id = useId();
  const [status, setStatus] = useState<OutboundDeliveryStatus | ''>('');
  const [page, setPage] = useState(1);
  const log = useOutboundDeliveries(workspaceId, endpointId, { status: status || undefined, page });
  const replay = useReplayDelivery(workspaceId, endpointId);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${id}-status`} className="text-sm text-slate-700 dark:text-slate-300">
          Show
        </label>
        <Select
          id={`${id}-status`}
          className="max-w-xs"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as OutboundDeliveryStatus | '');
            setPage(1);
          }}
        >
          <option value="">All deliveries</option>
          {OUTBOUND_DELIVERY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {LABEL[s]}
            </option>
          ))}
        </Select>
      </div>
      {log.isPending ? <p className="text-sm text-slate-600 dark:text-slate-400">Loading deliveries…</p> : null}
      {log.isError ? <Alert>{errorMessage(log.error)}</Alert> : null}
      {replay.isError ? <Alert>{errorMessage(replay.error)}</Alert> : null}
      {log.data && log.data.deliveries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No deliveries {status ? 'with this status ' : ''}yet.</p>
      ) : null}
      {log.data && log.data.deliveries.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
          <table className="w-full text-sm">
            <caption className="sr-only">Deliveries to this endpoint</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs tracking-wide text-slate-600 uppercase dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
              <tr>
                <th scope="col" className={th}>Event</th>
                <th scope="col" className={th}>Status</th>
                <th scope="col" className={th}>Attempts</th>
                <th scope="col" className={th}>Answer</th>
                <th scope="col" className={`${th} hidden md:table-cell`}>Response</th>
                <th scope="col" className={th}>
                  <span className="sr-only">Replay</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {log.data.deliveries.map((d) => (
                <DeliveryLine key={d.id} delivery={d} canManage={canManage} replaying={replay.isPending && replay.variables === d.id} onReplay={() => replay.mutate(d.id)} />
              ))}
            </tbody>
          </table>
          <Pagination label="Delivery pages" page={page} pageSize={log.data.pageSize} total={log.data.total} noun={['delivery', 'deliveries']} onPageChange={setPage} />
        </div>
      ) : null}
    </div>
  );
}

function DeliveryLine({ delivery: d, canManage, replaying, onReplay }: { delivery: OutboundDelivery; canManage: boolean; replaying: boolean; onReplay: () => void }) {
  const when = d.lastAttemptAt ?? d.createdAt;
  return (
    <tr className="align-top">
      <td className="px-3 py-2">
        <span className="block font-mono text-xs text-slate-900 dark:text-slate-100">{d.eventType}</span>
        <span className="block text-xs text-slate-600 dark:text-slate-400">{formatRelativeTime(when)}</span>
      </td>
      <td className="px-3 py-2">
        <DeliveryStatusBadge status={d.status} />
        {d.nextAttemptAt && d.status === 'retrying' ? (
          <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">next {formatRelativeTime(d.nextAttemptAt)}</span>
        ) : null}
      </td>
      <td className="px-3 py-2 text-slate-700 tabular-nums dark:text-slate-300">{d.attempts}</td>
      <td className="px-3 py-2 whitespace-nowrap text-slate-700 tabular-nums dark:text-slate-300">
        {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : d.attempts > 0 ? 'No answer' : '—'}
        {d.latencyMs !== null ? <span className="block text-xs text-slate-600 dark:text-slate-400">{d.latencyMs} ms</span> : null}
      </td>
      <td className="hidden max-w-xs px-3 py-2 md:table-cell">
        <code className="line-clamp-3 font-mono text-xs break-all text-slate-700 dark:text-slate-300">{d.responseExcerpt || '—'}</code>
      </td>
      <td className="px-3 py-2 text-right">
        {canManage && (d.status === 'failed' || d.status === 'succeeded') ? (
          <Button size="sm" variant="ghost" disabled={replaying} onClick={onReplay} aria-label={`Replay ${d.eventType} delivery`}>
            Replay
          </Button>
        ) : null}
      </td>
    </tr>
  );
}
