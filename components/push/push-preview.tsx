'use client';

import { Badge } from '@/components/ui/badge';
import type { PushPreview } from '@/lib/client/push';

const show = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The first records exactly as the push would send them, each with what would keep it back. */
export function PushPreviewPanel({ preview, connectionName }: { preview: PushPreview; connectionName: (id: string) => string }) {
  const blocked = preview.records.filter((r) => r.errors.length > 0).length;
  return (
    <section aria-labelledby="push-preview-heading" className="space-y-3">
      <div>
        <h4 id="push-preview-heading" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
          Preview
        </h4>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          {preview.matching.toLocaleString('en')} {preview.matching === 1 ? 'record matches' : 'records match'}; the first{' '}
          {preview.records.length.toLocaleString('en')} as they would be sent
          {blocked ? `, ${blocked} of them with problems that would keep them back` : ''}.
        </p>
      </div>
      {preview.records.length ? (
        <ol className="space-y-2">
          {preview.records.map((record) => (
            <li
              key={`${record.sourceConnectionId}:${record.sourceExternalId}`}
              className={`rounded-lg border px-3 py-2 text-sm ${record.errors.length ? 'border-red-200 dark:border-red-900' : 'border-slate-200 dark:border-slate-800'}`}
            >
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className="font-medium break-all text-slate-900 dark:text-slate-100">{record.key ?? 'No match key'}</span>
                {record.errors.length ? <Badge tone="danger">Would not be sent</Badge> : <Badge tone="success">Ready</Badge>}
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  from {connectionName(record.sourceConnectionId)} · {record.sourceExternalId}
                </span>
              </div>
              <dl className="mt-1.5 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs">
                {Object.entries(record.fields).map(([name, value]) => (
                  <div key={name} className="contents">
                    <dt className="font-mono text-slate-500 dark:text-slate-400">{name}</dt>
                    <dd className="break-all text-slate-800 dark:text-slate-200">{show(value)}</dd>
                  </div>
                ))}
              </dl>
              {record.errors.length ? (
                <ul className="mt-1.5 list-disc space-y-0.5 pl-5 text-xs text-red-700 dark:text-red-300">
                  {record.errors.map((error, i) => (
                    <li key={i}>
                      <span className="font-mono">{error.field}</span>: {error.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">No stored record matches yet: sync the source connections, or loosen the filters.</p>
      )}
    </section>
  );
}
