import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import { formatRelativeTime } from '@/lib/client/format';
import type { RecordCount, RecordTotals } from '@/lib/client/overview';

const cell = 'px-5 py-2.5 text-sm';
const muted = 'text-slate-600 dark:text-slate-400';

/**
 * Stored records per provider and resource, summed over the workspace's connections, the largest
 * first; the server sends a few and sums the rest. A resource held by one connection links to its
 * records browser; one spread over several is browsed per connection, from Integrations.
 */
export function RecordsSummary({ workspaceId, records, labelOf }: { workspaceId: string; records: RecordTotals; labelOf: (record: RecordCount) => string }) {
  const { resources, other, total } = records;
  return (
    <SectionCard id="overview-records-heading" title="Records per resource" description="Records stored from each tool, not counting deleted ones." flush>
      {resources.length === 0 ? (
        <p className={`px-5 py-4 text-sm ${muted}`}>No records yet. They appear after the first sync.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left">
            <thead className={`border-b border-slate-200 text-xs dark:border-slate-800 ${muted}`}>
              <tr>
                <th scope="col" className={`${cell} font-medium`}>
                  Resource
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  From
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
              {resources.map((r) => (
                <tr key={`${r.provider}:${r.resource}`}>
                  <td className={cell}>
                    {r.connectionId ? (
                      <TextLink href={`/w/${workspaceId}/integrations/${r.connectionId}/records?resource=${encodeURIComponent(r.resource)}`}>{labelOf(r)}</TextLink>
                    ) : (
                      <span className="font-medium text-slate-900 dark:text-slate-100">{labelOf(r)}</span>
                    )}
                  </td>
                  <td className={`${cell} text-slate-900 dark:text-slate-100`}>
                    {r.providerName}
                    {r.connections > 1 ? <span className={muted}> · {r.connections.toLocaleString('en')} connections</span> : null}
                  </td>
                  <td className={`${cell} text-right text-slate-900 tabular-nums dark:text-slate-100`}>{r.records.toLocaleString('en')}</td>
                  <td className={`${cell} hidden sm:table-cell ${muted}`}>
                    {r.lastSeenAt ? <time dateTime={r.lastSeenAt}>{formatRelativeTime(r.lastSeenAt)}</time> : '—'}
                  </td>
                </tr>
              ))}
              {other.resources > 0 ? (
                <tr>
                  <td className={`${cell} ${muted}`} colSpan={2}>
                    {other.resources.toLocaleString('en')} more {other.resources === 1 ? 'resource' : 'resources'}
                  </td>
                  <td className={`${cell} text-right tabular-nums ${muted}`}>{other.records.toLocaleString('en')}</td>
                  <td className={`${cell} hidden sm:table-cell`} />
                </tr>
              ) : null}
            </tbody>
            {resources.length + (other.resources > 0 ? 1 : 0) > 1 ? (
              <tfoot className="border-t border-slate-200 dark:border-slate-800">
                <tr>
                  <th scope="row" colSpan={2} className={`${cell} font-medium text-slate-900 dark:text-slate-100`}>
                    Total
                  </th>
                  <td className={`${cell} text-right font-medium text-slate-900 tabular-nums dark:text-slate-100`}>{total.toLocaleString('en')}</td>
                  <td className={`${cell} hidden sm:table-cell`} />
                </tr>
              </tfoot>
            ) : null}
          </table>
        </div>
      )}
    </SectionCard>
  );
}
