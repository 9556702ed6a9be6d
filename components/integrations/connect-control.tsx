'use client';

import { connectLabel } from '@/lib/client/connections';
import type { CatalogProvider } from '@/lib/client/types';
import { ApiKeyDialog } from './api-key-dialog';
import { OAuthStartButton } from './oauth-start-button';

/** OAuth providers connect by POSTing to the start route, then visiting the provider; API-key providers open a form. */
export function ConnectControl({ provider, workspaceId }: { provider: CatalogProvider; workspaceId: string }) {
  if (provider.availability === 'unavailable') return null;
  if (provider.authKind === 'api_key') return <ApiKeyDialog provider={provider} workspaceId={workspaceId} />;
  const oauth = (
    <OAuthStartButton providerId={provider.id} workspaceId={workspaceId} variant="primary" aria-label={connectLabel(provider)}>
      Connect
    </OAuthStartButton>
  );
  // An OAuth provider that also takes an API key offers both.
  if (provider.apiKeyFields.length === 0) return oauth;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {oauth}
      <ApiKeyDialog provider={provider} workspaceId={workspaceId} triggerText="Use an API key" />
    </div>
  );
}
