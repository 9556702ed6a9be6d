'use client';

import { CopyButton } from '@/components/webhooks/copy-button';
import { Button } from '@/components/ui/button';
import { formatDateTime } from '@/lib/client/format';

interface SecretRevealProps {
  secret: string;
  /** When the previous secret stops signing (after a rotation). */
  previousValidUntil?: string | null;
  onDone: () => void;
}

/** The signing secret, the one time it is shown: the server keeps only an encrypted copy. */
export function SecretReveal({ secret, previousValidUntil, onDone }: SecretRevealProps) {
  return (
    <div role="status" className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3 dark:border-amber-900 dark:bg-amber-950/50">
      <p className="text-sm font-medium text-amber-900 dark:text-amber-200">Copy this signing secret now: it is not shown again.</p>
      <span className="flex items-center gap-1">
        <code className="min-w-0 font-mono text-xs break-all text-amber-950 dark:text-amber-100" aria-label="Endpoint signing secret">
          {secret}
        </code>
        <CopyButton value={secret} label="Copy the signing secret" />
      </span>
      <p className="text-xs text-amber-900 dark:text-amber-200">
        Verify deliveries with any Standard Webhooks library (webhook-id, webhook-timestamp and webhook-signature headers).
        {previousValidUntil ? ` The previous secret keeps signing too until ${formatDateTime(previousValidUntil)}.` : ''}
      </p>
      <Button size="sm" variant="secondary" onClick={onDone}>
        I have copied it
      </Button>
    </div>
  );
}
