import type { SyncRecord } from '@/lib/client/sync';
import { RecordRow } from './record-row';

interface RecordsTableProps {
  records: SyncRecord[];
  /** Show a Resource column (when the list is not filtered to one resource). */
  showResource: boolean;
  labels: Map<string, string>;
  caption: string;
}

const th = 'px-3 py-2.5 font-medium whitespace-nowrap sm:px-4';

/** Narrow screens drop Resource and Deleted (below sm; the badge moves under the ID) and First seen (below md), so the table fits. */
export function RecordsTable({ records, showResource, labels, caption }: RecordsTableProps) {
  const columns = showResource ? 6 : 5;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className={`${th} sm:pl-5`}>
              External ID
            </th>
            {showResource ? (
              <th scope="col" className={`${th} hidden sm:table-cell`}>
                Resource
              </th>
            ) : null}
            <th scope="col" className={`${th} hidden md:table-cell`}>
              First seen
            </th>
            <th scope="col" className={th}>
              Last seen
            </th>
            <th scope="col" className={`${th} hidden sm:table-cell`}>
              Deleted
            </th>
            <th scope="col" className={`${th} sm:pr-5`}>
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {records.map((record) => (
            <RecordRow
              key={record.id}
              record={record}
              resourceLabel={showResource ? (labels.get(record.resource) ?? record.resource) : null}
              columns={columns}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
