import type { WebhookDelivery } from '@/lib/client/webhooks';
import { DeliveryRow } from './delivery-row';

const th = 'px-3 py-2.5 font-medium whitespace-nowrap sm:px-4';

interface DeliveriesTableProps {
  workspaceId: string;
  deliveries: WebhookDelivery[];
  showConnection: boolean;
  canManage: boolean;
}

export function DeliveriesTable({ workspaceId, deliveries, showConnection, canManage }: DeliveriesTableProps) {
  const columns = showConnection ? 8 : 7;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Webhook deliveries</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className={`${th} sm:pl-5`}>Received</th>
            {showConnection ? (
              <th scope="col" className={`${th} hidden lg:table-cell`}>
                Connection
              </th>
            ) : null}
            <th scope="col" className={`${th} hidden md:table-cell`}>
              Event
            </th>
            <th scope="col" className={`${th} hidden sm:table-cell`}>
              Signature
            </th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={`${th} hidden lg:table-cell`}>
              Latency
            </th>
            <th scope="col" className={`${th} hidden sm:table-cell`}>
              Sync run
            </th>
            <th scope="col" className={`${th} sm:pr-5`}>
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {deliveries.map((delivery) => (
            <DeliveryRow
              key={delivery.id}
              workspaceId={workspaceId}
              delivery={delivery}
              showConnection={showConnection}
              canManage={canManage}
              columns={columns}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
