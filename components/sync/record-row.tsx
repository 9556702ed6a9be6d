'use client';

import { useState } from 'react';
import { MappedOutput } from '@/components/mapping/mapped-output';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { humanizeKey } from '@/lib/client/connections';
import { formatDateTime } from '@/lib/client/format';
import type { SyncRecord } from '@/lib/client/sync';
import { CodeBlock } from '@/components/ui/code-block';

const pre =
  'max-h-96 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200 dark:bg-slate-950 dark:text-slate-200 dark:ring-slate-800';

interface RecordRowProps {
  record: SyncRecord;
  /** The resource's label, shown when the table lists every resource. */
  resourceLabel: string | null;
  columns: number;
}

function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** Mapped fields in a stable, readable order (stored JSON keeps no order): the id first, then by name. */
function mappedFields(record: SyncRecord) {
  const names = new Set([...Object.keys(record.mapped ?? {}), ...(record.mappingErrors ?? []).map((e) => e.target).filter((t) => !t.includes('|'))]);
  return [...names]
    .map((name) => ({ name, label: humanizeKey(name) }))
    .sort((a, b) => (a.name === 'externalId' ? -1 : b.name === 'externalId' ? 1 : a.label.localeCompare(b.label)));
}

const heading = 'mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400';

export function RecordRow({ record, resourceLabel, columns }: RecordRowProps) {
  const [open, setOpen] = useState(false);
  const panelId = `record-json-${record.id}`;
  const errorCount = record.mappingErrors?.length ?? 0;
  const hasMapping = record.mapped !== null || errorCount > 0;
  return (
    <>
      <tr className={open ? 'bg-slate-50 dark:bg-slate-800/40' : undefined}>
        <th scope="row" className="px-3 py-3 text-left font-normal sm:px-4 sm:pl-5">
          <code className="font-mono text-xs break-all text-slate-900 dark:text-slate-100">{record.externalId}</code>
          {errorCount ? (
            <span className="mt-1 block">
              <Badge tone="warning">{errorCount === 1 ? '1 mapping error' : `${errorCount} mapping errors`}</Badge>
            </span>
          ) : null}
          {record.deletedAt ? (
            <span className="mt-1 block sm:hidden">
              <Badge tone="danger">Deleted</Badge>
            </span>
          ) : null}
        </th>
        {resourceLabel !== null ? (
          <td className="hidden px-3 py-3 sm:px-4 text-slate-700 sm:table-cell dark:text-slate-300">{resourceLabel}</td>
        ) : null}
        <td className="hidden px-3 py-3 sm:px-4 whitespace-nowrap text-slate-600 md:table-cell dark:text-slate-400">
          <When iso={record.firstSeenAt} />
        </td>
        <td className="px-3 py-3 text-slate-600 sm:whitespace-nowrap sm:px-4 dark:text-slate-400">
          <When iso={record.lastSeenAt} />
        </td>
        <td className="hidden px-3 py-3 sm:table-cell sm:px-4">
          {record.deletedAt ? (
            <span title={`Deleted at the provider; noticed ${formatDateTime(record.deletedAt)}`}>
              <Badge tone="danger">Deleted</Badge>
            </span>
          ) : (
            <>
              <span aria-hidden="true" className="text-slate-400 dark:text-slate-500">
                —
              </span>
              <span className="sr-only">Not deleted</span>
            </>
          )}
        </td>
        <td className="px-3 py-3 text-right sm:px-4 sm:pr-5">
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Show raw JSON for ${record.externalId}`}
            aria-expanded={open}
            aria-controls={open ? panelId : undefined}
            onClick={() => setOpen(!open)}
          >
            <span aria-hidden="true" className={`inline-block transition-transform ${open ? 'rotate-90' : ''}`}>
              ›
            </span>
            Raw JSON
          </Button>
        </td>
      </tr>
      {open ? (
        <tr id={panelId} className="bg-slate-50 dark:bg-slate-800/40">
          <td colSpan={columns} className="px-4 pb-4 sm:px-5">
            {/* Width 0 + min-width 100%: long JSON lines scroll inside the <pre> instead of widening the table. */}
            <div className={`w-0 min-w-full ${hasMapping ? 'grid gap-4 lg:grid-cols-2' : ''}`}>
              {hasMapping ? (
                <div className="min-w-0">
                  <h3 className={heading}>
                    Mapped{record.mappingVersion === null ? '' : ` · mapping version ${record.mappingVersion}`}
                  </h3>
                  <div className="rounded-lg bg-white py-1 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
                    <MappedOutput
                      caption={`Mapped fields of ${record.externalId}`}
                      output={record.mapped}
                      errors={record.mappingErrors}
                      fields={mappedFields(record)}
                    />
                  </div>
                </div>
              ) : null}
              <div className="min-w-0">
                <h3 className={heading}>Raw from the provider</h3>
                <CodeBlock label={`Raw JSON of ${record.externalId}`} className={pre}>
                  {JSON.stringify(record.raw, null, 2)}
                </CodeBlock>
              </div>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
