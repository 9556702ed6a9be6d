'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { CopyButton } from '@/components/webhooks/copy-button';
import { Button } from '@/components/ui/button';
import type { CreatedApiKey } from '@/lib/client/api-keys';

interface SecretDialogProps {
  created: CreatedApiKey | null;
  onClose: () => void;
}

/** The new key's secret, shown this once: copy it, then close (it cannot be shown again). */
export function SecretDialog({ created, onClose }: SecretDialogProps) {
  return (
    <Dialog.Root open={created !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-slate-950/50 backdrop-blur-[1px]" />
        <Dialog.Content
          // Closing by a stray click outside would lose the secret: only the buttons and Escape close it.
          onPointerDownOutside={(event) => event.preventDefault()}
          className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-lg border border-slate-200 bg-white p-6 shadow-xl dark:border-slate-700 dark:bg-slate-900"
        >
          <Dialog.Title className="text-base font-semibold break-words text-slate-900 dark:text-slate-100">
            API key “{created?.key.name}” created
          </Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Copy the key now and store it somewhere safe: it is shown only this once. Send it as{' '}
            <code className="font-mono text-xs">Authorization: Bearer …</code>
          </Dialog.Description>
          {created ? (
            <div className="mt-4 space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3 dark:border-amber-900 dark:bg-amber-950/50">
              <div className="flex items-start gap-1">
                <code
                  data-testid="api-key-secret"
                  aria-label="New API key"
                  className="min-w-0 flex-1 font-mono text-xs break-all text-amber-950 select-all dark:text-amber-100"
                >
                  {created.secret}
                </code>
                <CopyButton value={created.secret} label="Copy the API key" />
              </div>
              <p className="text-xs text-amber-900 dark:text-amber-200">Scopes: {created.key.scopes.join(', ')}</p>
            </div>
          ) : null}
          <div className="mt-6 flex justify-end">
            <Dialog.Close asChild>
              <Button>I have copied the key</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
