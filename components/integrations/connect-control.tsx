'use client';

import { buttonClasses } from '@/components/ui/button';
import { connectLabel, oauthStartUrl } from '@/lib/client/connections';
import type { CatalogProvider } from '@/lib/client/types';
import { ApiKeyDialog } from './api-key-dialog';

/** OAuth providers connect by navigating to the start route; API-key providers open a form. */
export function ConnectControl({ provider, workspaceId }: { provider: CatalogProvider; workspaceId: string }) {
  if (provider.availability === 'unavailable') return null;
  if (provider.authKind === 'api_key') return <ApiKeyDialog provider={provider} workspaceId={workspaceId} />;
  return (
    <a href={oauthStartUrl(provider.id, workspaceId)} aria-label={connectLabel(provider)} className={buttonClasses('primary', 'sm')}>
      Connect
    </a>
  );
}
