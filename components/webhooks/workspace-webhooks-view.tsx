'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { lazy, Suspense } from 'react';
import { focusRing } from '@/components/ui/focus-ring';
import { LoadingNote } from '@/components/ui/loading-note';
import { DeliveriesView } from './deliveries-view';
import { EndpointsPanel } from './endpoints-panel';

// The Outgoing tab (endpoints, their form and delivery log) is its own chunk: the Incoming tab, the
// default, does not carry it on a first visit; a visit straight to ?tab=outgoing loads it at once.
// React.lazy, not next/dynamic: next/dynamic adds its own loader (~1.5 KB gzipped) to the first load.
const OutgoingWebhooksView = lazy(() => import('@/components/outbound/outgoing-webhooks-view').then((module) => ({ default: module.OutgoingWebhooksView })));

const tabClasses = (current: boolean) =>
  `rounded-md px-3 py-1.5 text-sm font-medium ${focusRing} ${
    current ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-700 dark:text-slate-50' : 'text-slate-700 hover:text-slate-900 dark:text-slate-300 dark:hover:text-slate-100'
  }`;

/** Incoming (deliveries from connected tools) or outgoing (events to the workspace's own systems), by ?tab=. */
function DirectionTabs({ outgoing }: { outgoing: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Webhook direction" className="inline-flex gap-1 rounded-lg bg-slate-100 p-1 dark:bg-slate-800">
      <Link href={pathname} className={tabClasses(!outgoing)} aria-current={outgoing ? undefined : 'page'}>
        Incoming
      </Link>
      <Link href={`${pathname}?tab=outgoing`} className={tabClasses(outgoing)} aria-current={outgoing ? 'page' : undefined}>
        Outgoing
      </Link>
    </nav>
  );
}

export function WorkspaceWebhooksView({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const outgoing = useSearchParams().get('tab') === 'outgoing';
  if (outgoing) {
    return (
      <div className="space-y-6">
        <DirectionTabs outgoing />
        <Suspense fallback={<LoadingNote>Loading outgoing webhooks…</LoadingNote>}>
          <OutgoingWebhooksView workspaceId={workspaceId} canManage={canManage} />
        </Suspense>
      </div>
    );
  }
  return (
    <div className="space-y-8">
      <DirectionTabs outgoing={false} />
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
