'use client';

import { DeliveriesView } from './deliveries-view';
import { EndpointsPanel } from './endpoints-panel';

export function WorkspaceWebhooksView({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  return (
    <div className="space-y-8">
      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <h2 id="deliveries-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
          Deliveries
        </h2>
        <DeliveriesView workspaceId={workspaceId} canManage={canManage} />
      </section>
      <EndpointsPanel />
    </div>
  );
}
