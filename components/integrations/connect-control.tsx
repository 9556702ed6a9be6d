'use client';

import { connectLabel } from '@/lib/client/connections';
import type { CatalogProvider } from '@/lib/client/types';
import { ApiKeyDialog } from './api-key-dialog';
import { OAuthStartButton } from './oauth-start-button';

/** OAuth providers connect by POSTing to the start route, then visiting the provider; API-key providers open a form. */
export function ConnectControl({ provider, workspaceId }: { provider: CatalogProvider; workspaceId: string }) {
  if (provider.availability === 'unavailable') return null;
  if (provider.authKind === 'api_key') return <ApiKeyDialog provider={provider} workspaceId={workspaceId} />;
  return (
    <OAuthStartButton providerId={provider.id} workspaceId={workspaceId} variant="primary" aria-label={connectLabel(provider)}>
      Connect
    </OAuthStartButton>
  );
}
