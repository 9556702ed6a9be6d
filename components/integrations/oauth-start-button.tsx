'use client';

import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { apiFetch } from '@/lib/client/api';
import { oauthStartPath } from '@/lib/client/connections';

interface OAuthStartButtonProps {
  providerId: string;
  workspaceId: string;
  /** Set when reconnecting: the handshake renews this connection. */
  connectionId?: string;
  variant: 'primary' | 'secondary';
  children: string;
  'aria-label'?: string;
}

/**
 * Starts OAuth with a same-site POST (a link could be triggered from another site), then sends
 * the browser to the provider's consent screen. A refusal (no longer an admin, provider not
 * configured) is shown here instead of a raw error page.
 */
export function OAuthStartButton({ providerId, workspaceId, connectionId, variant, children, 'aria-label': label }: OAuthStartButtonProps) {
  const start = useMutation({
    mutationFn: () =>
      apiFetch<{ authorizeUrl: string }>(oauthStartPath(providerId), {
        method: 'POST',
        body: connectionId ? { workspaceId, connectionId } : { workspaceId },
      }),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
  // Stays busy after success too: the page is about to leave for the provider.
  const busy = start.isPending || start.isSuccess;
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button variant={variant} size="sm" aria-label={label} onClick={() => start.mutate()} disabled={busy} aria-busy={busy}>
        {children}
      </Button>
      {start.isError ? (
        <span role="alert" className="max-w-64 text-right text-xs text-red-700 dark:text-red-400">
          {start.error.message}
        </span>
      ) : null}
    </span>
  );
}
