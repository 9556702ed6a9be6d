'use client';

import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { errorMessage } from '@/lib/client/api';
import { EndpointCard } from './endpoint-card';
import { EndpointForm } from './endpoint-form';
import { useOutboundEndpoints } from './use-outbound';

/** Outbound webhooks: the workspace's own endpoints, signed events sent to them, and their logs. */
export function OutgoingWebhooksView({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const endpoints = useOutboundEndpoints(workspaceId);
  const searchParams = useSearchParams();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ endpointId: string; secret: string } | null>(null);
  // A health issue links here with ?endpoint=<id>: open that endpoint's log.
  const [openId, setOpenId] = useState<string | null>(searchParams.get('endpoint'));

  return (
    <section aria-labelledby="outgoing-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="space-y-1">
          <h2 id="outgoing-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
            Outgoing endpoints
          </h2>
          <p className="max-w-2xl text-sm text-slate-600 dark:text-slate-400">
            Your own systems learn what happens here without polling: each event is POSTed as JSON, signed to the Standard Webhooks
            specification, and retried with backoff for about a day when the receiver does not answer 2xx.
          </p>
        </div>
        {canManage && !adding ? <Button onClick={() => setAdding(true)}>Add endpoint</Button> : null}
      </div>
      {adding ? (
        <Card className="p-4 sm:p-5">
          <EndpointForm
            workspaceId={workspaceId}
            onCancel={() => setAdding(false)}
            onCreated={(next) => {
              setAdding(false);
              setCreated(next);
            }}
          />
        </Card>
      ) : null}
      {endpoints.isError ? <Alert>{errorMessage(endpoints.error)}</Alert> : null}
      {endpoints.data?.length === 0 && !adding ? (
        <EmptyState headingLevel={3} title="No outgoing endpoints yet">
          {canManage ? 'Add an endpoint to send sync, record, connection and action events to your own systems.' : 'Owners and admins can add endpoints.'}
        </EmptyState>
      ) : null}
      <ul className="space-y-4">
        {endpoints.data?.map((endpoint) => (
          <li key={endpoint.id}>
            <EndpointCard
              workspaceId={workspaceId}
              endpoint={endpoint}
              canManage={canManage}
              newSecret={created?.endpointId === endpoint.id ? created.secret : null}
              onSecretSeen={() => setCreated(null)}
              open={openId === endpoint.id}
              onToggle={() => setOpenId((current) => (current === endpoint.id ? null : endpoint.id))}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
