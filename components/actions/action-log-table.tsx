'use client';

import { Fragment, useState } from 'react';
import { Button } from '@/components/ui/button';
import { formatDateTime } from '@/lib/client/format';
import { formatMs, type ActionLogEntry } from '@/lib/client/actions';
import { ActionLogDetail, actorLabel } from './action-log-detail';
import { ActionStatusBadge } from './action-status-badge';

const th = 'px-3 py-2.5 font-medium whitespace-nowrap sm:px-4';
const muted = 'block text-xs text-slate-500 dark:text-slate-400';

interface ActionLogTableProps {
  entries: ActionLogEntry[];
  connectionNames: Map<string, string>;
}

export function ActionLogTable({ entries, connectionNames }: ActionLogTableProps) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Action calls, newest first</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className={`${th} sm:pl-5`}>
              When
            </th>
            <th scope="col" className={th}>
              Action
            </th>
            <th scope="col" className={`${th} hidden lg:table-cell`}>
              Connection
            </th>
            <th scope="col" className={th}>
              Status
            </th>
            <th scope="col" className={`${th} hidden md:table-cell`}>
              Latency
            </th>
            <th scope="col" className={`${th} sm:pr-5`}>
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {entries.map((entry) => (
            <ActionLogRow key={entry.id} entry={entry} connectionName={entry.connectionId ? (connectionNames.get(entry.connectionId) ?? null) : null} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ActionLogRow({ entry, connectionName }: { entry: ActionLogEntry; connectionName: string | null }) {
  const [open, setOpen] = useState(false);
  const panelId = `action-log-${entry.id}`;
  return (
    <>
      <tr data-testid="action-log-row" className={open ? 'bg-slate-50 dark:bg-slate-800/40' : 'hover:bg-slate-50 dark:hover:bg-slate-800/40'}>
        <th scope="row" className="px-3 py-3 text-left font-normal sm:px-4 sm:pl-5">
          <time dateTime={entry.createdAt} className="block text-slate-900 sm:whitespace-nowrap dark:text-slate-100">
            {formatDateTime(entry.createdAt)}
          </time>
        </th>
        <td className="px-3 py-3 sm:px-4">
          <code className="font-mono text-xs text-slate-900 xl:whitespace-nowrap dark:text-slate-100">
            {/* Breaks only after a dot on narrow screens: appointments.⏎create */}
            {entry.action.split('.').map((part, i) => (
              <Fragment key={i}>
                {i ? '.' : ''}
                {i ? <wbr /> : null}
                {part}
              </Fragment>
            ))}
          </code>
          <span className={`${muted} lg:hidden`}>{connectionName ?? entry.provider ?? ''}</span>
          <span className={`${muted} break-words`}>by {actorLabel(entry.actor)}</span>
        </td>
        <td className="hidden px-3 py-3 sm:px-4 lg:table-cell">
          <span className="text-slate-900 dark:text-slate-100">{connectionName ?? (entry.connectionId ? 'Connection' : '—')}</span>
          {entry.provider ? <span className={muted}>{entry.provider}</span> : null}
        </td>
        <td className="px-3 py-3 sm:px-4">
          <ActionStatusBadge status={entry.status} />
          <span className={muted}>
            {entry.httpStatus}
            {entry.code ? ` · ${entry.code}` : ''}
            {entry.replayed ? ' · replayed' : ''}
          </span>
        </td>
        <td className="hidden px-3 py-3 whitespace-nowrap text-slate-700 tabular-nums sm:px-4 md:table-cell dark:text-slate-300">
          {formatMs(entry.latencyMs)}
          <span className={muted}>
            {entry.providerRequests} provider request{entry.providerRequests === 1 ? '' : 's'}
          </span>
        </td>
        <td className="px-3 py-3 text-right sm:px-4 sm:pr-5">
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Show details of ${entry.action} at ${formatDateTime(entry.createdAt)}`}
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
          <td colSpan={6} className="px-3 pb-5 sm:px-5">
            <ActionLogDetail entry={entry} connectionName={connectionName} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
