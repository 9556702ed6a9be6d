import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import { formatRelativeTime } from '@/lib/client/format';
import type { RecordCount } from '@/lib/client/overview';

const cell = 'px-5 py-2.5 text-sm';

/** Stored records per connection and resource, each linking to its records browser. */
export function RecordsSummary({ workspaceId, records, labelOf }: { workspaceId: string; records: RecordCount[]; labelOf: (record: RecordCount) => string }) {
  return (
    <SectionCard id="overview-records-heading" title="Records per resource" description="Records stored from each connection, not counting deleted ones." flush>
      {records.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600 dark:text-slate-400">No records yet. They appear after the first sync.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left">
            <thead className="border-b border-slate-200 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className={`${cell} font-medium`}>
                  Connection
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  Resource
                </th>
                <th scope="col" className={`${cell} text-right font-medium`}>
                  Records
                </th>
                <th scope="col" className={`${cell} hidden font-medium sm:table-cell`}>
                  Last seen
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {records.map((r) => (
                <tr key={`${r.connectionId}:${r.resource}`}>
                  <td className={`${cell} text-slate-900 dark:text-slate-100`}>{r.connectionName}</td>
                  <td className={cell}>
                    <TextLink href={`/w/${workspaceId}/integrations/${r.connectionId}/records?resource=${encodeURIComponent(r.resource)}`}>
                      {labelOf(r)}
                    </TextLink>
                  </td>
                  <td className={`${cell} text-right text-slate-900 tabular-nums dark:text-slate-100`}>{r.records.toLocaleString('en')}</td>
                  <td className={`${cell} hidden text-slate-600 sm:table-cell dark:text-slate-400`}>
                    {r.lastSeenAt ? <time dateTime={r.lastSeenAt}>{formatRelativeTime(r.lastSeenAt)}</time> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SectionCard>
  );
}
