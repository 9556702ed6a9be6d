'use client';

import { BackLink } from '@/components/sync/back-link';
import { NotFoundBlock } from '@/components/sync/not-found-block';
import { useConnectionData } from '@/components/sync/use-sync-data';
import { Alert } from '@/components/ui/alert';
import { SectionCard } from '@/components/ui/card';
import { PlugIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { ApiError } from '@/lib/client/api';
import { ChannelsList } from './channels-list';
import { DeliveriesView } from './deliveries-view';
import { EndpointUrl } from './endpoint-url';
import { SigningSecretPanel } from './signing-secret-panel';
import { useOrigin } from './use-origin';
import { useWebhookSetup } from './use-webhooks';

interface ConnectionWebhooksViewProps {
  workspaceId: string;
  connectionId: string;
  canManage: boolean;
}

export function ConnectionWebhooksView({ workspaceId, connectionId, canManage }: ConnectionWebhooksViewProps) {
  const connectionQuery = useConnectionData(workspaceId, connectionId);
  const setupQuery = useWebhookSetup(workspaceId, connectionId);
  const origin = useOrigin();
  const connection = connectionQuery.data?.connection;
  const setup = setupQuery.data;
  const missing = [connectionQuery.error, setupQuery.error].some((e) => e instanceof ApiError && (e.status === 404 || e.status === 400));
  const name = connection?.displayName ?? 'the connection';
  const urlOf = (endpoint: { path: string; url: string | null }) => endpoint.url ?? (origin ? `${origin}${endpoint.path}` : '');

  if (missing) {
    return (
      <div className="space-y-6">
        <BackLink href={`/w/${workspaceId}/webhooks`}>All webhooks</BackLink>
        <NotFoundBlock icon={<PlugIcon className="size-6" />} title="Connection not found">
          This workspace has no connection at this address, so there are no webhooks to show. The link may be mistyped.
        </NotFoundBlock>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <BackLink href={`/w/${workspaceId}/integrations/${connectionId}`}>Back to {name}</BackLink>
      <PageHeader title="Webhooks" description={`Deliveries for ${name}, and how they reach Integration Hub.`} />
      {setupQuery.isError ? <Alert>{setupQuery.error.message}</Alert> : null}
      {setup ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <SectionCard id="provider-webhooks-heading" title={`From ${connection?.providerName ?? 'the provider'}`}>
            <div className="space-y-3">
              {setup.providerEndpoint ? (
                <>
                  <EndpointUrl url={urlOf(setup.providerEndpoint)} label="provider webhook URL" />
                  <p className="text-sm text-slate-600 dark:text-slate-400">{setup.providerWebhooks?.setup}</p>
                </>
              ) : (
                <p className="text-sm text-slate-600 dark:text-slate-400">{setup.withoutWebhooks ?? 'This provider sends no webhooks.'} Use the endpoint beside this one to push changes from elsewhere.</p>
              )}
              {setup.providerWebhooks?.usesChannels ? (
                <>
                  {!setup.publicUrlConfigured ? (
                    <p className="text-sm text-amber-800 dark:text-amber-300">
                      PUBLIC_APP_URL is not set: only the provider sandbox can reach this server. {connection?.providerName ?? 'The provider'} needs a public HTTPS address.
                    </p>
                  ) : null}
                  <ChannelsList channels={setup.channels} />
                </>
              ) : null}
            </div>
          </SectionCard>
          <SectionCard id="standard-webhooks-heading" title="From any tool">
            <SigningSecretPanel workspaceId={workspaceId} connectionId={connectionId} setup={setup} url={urlOf(setup.genericEndpoint)} canManage={canManage} />
          </SectionCard>
        </div>
      ) : setupQuery.isPending ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading the webhook setup…</p>
      ) : null}
      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <h2 id="deliveries-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
          Deliveries
        </h2>
        <DeliveriesView workspaceId={workspaceId} connectionId={connectionId} canManage={canManage} />
      </section>
    </div>
  );
}
