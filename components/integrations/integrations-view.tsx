'use client';

import { Suspense } from 'react';
import { ConnectedSection } from './connected-section';
import { CatalogSection } from './catalog-section';
import { OAuthErrorBanner } from './oauth-error-banner';
import { useConnections, useProviders } from './use-integrations';

interface IntegrationsViewProps {
  workspaceId: string;
  canManage: boolean;
}

export function IntegrationsView({ workspaceId, canManage }: IntegrationsViewProps) {
  const providers = useProviders();
  const connections = useConnections(workspaceId);
  const providerList = providers.data?.providers;
  const connectionList = connections.data?.connections;

  return (
    <div className="space-y-10">
      {/* useSearchParams needs a Suspense boundary above it. */}
      <Suspense>
        <OAuthErrorBanner />
      </Suspense>
      <ConnectedSection
        workspaceId={workspaceId}
        connections={connectionList}
        providers={providerList ?? []}
        canManage={canManage}
        error={connections.error}
      />
      <CatalogSection
        workspaceId={workspaceId}
        providers={providerList}
        connections={connectionList ?? []}
        canManage={canManage}
        error={providers.error}
      />
    </div>
  );
}
