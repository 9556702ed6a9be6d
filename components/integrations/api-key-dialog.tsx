'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { apiFetch } from '@/lib/client/api';
import { connectLabel } from '@/lib/client/connections';
import type { CatalogProvider, ConnectionResponse } from '@/lib/client/types';
import { useRefreshConnections } from './use-integrations';

interface ApiKeyDialogProps {
  provider: CatalogProvider;
  workspaceId: string;
  /** The trigger's visible text; "Reconnect" on a connection page. */
  triggerText?: string;
}

/** A form for providers that connect with an API key; the server tries the key before saving it. */
export function ApiKeyDialog({ provider, workspaceId, triggerText = 'Connect' }: ApiKeyDialogProps) {
  const router = useRouter();
  const refresh = useRefreshConnections(workspaceId);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const connect = useMutation({
    mutationFn: () =>
      apiFetch<ConnectionResponse>(`/api/workspaces/${workspaceId}/connections`, {
        method: 'POST',
        body: { provider: provider.id, fields: values },
      }),
    onSuccess: ({ connection }) => {
      void refresh();
      setOpen(false);
      router.push(`/w/${workspaceId}/integrations/${connection.id}?connected=1`);
    },
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setValues({});
      connect.reset();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    connect.mutate();
  }

  const reconnecting = triggerText === 'Reconnect';
  // The main way to connect, or a second one beside OAuth ("Use an API key").
  const primary = triggerText === 'Connect';
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>
        <Button variant={primary ? 'primary' : 'secondary'} size="sm" aria-label={primary ? connectLabel(provider) : undefined}>
          {triggerText}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-slate-950/50 backdrop-blur-[1px]" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100vh-2rem)] w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg border border-slate-200 bg-white p-6 shadow-xl dark:border-slate-700 dark:bg-slate-900">
          <Dialog.Title className="text-base font-semibold text-slate-900 dark:text-slate-100">
            {reconnecting ? 'Reconnect' : 'Connect'} {provider.name}
          </Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Integration Hub tries these credentials with {provider.name} first and saves them, encrypted, only if{' '}
            {provider.name} accepts them.
          </Dialog.Description>
          <form onSubmit={onSubmit} noValidate className="mt-5 space-y-4">
            {provider.apiKeyFields.map((field) => {
              const id = `${provider.id}-${field.name}`;
              return (
                <Field key={field.name} label={field.label} htmlFor={id} hint={field.help} hintId={`${id}-help`}>
                  <Input
                    id={id}
                    name={field.name}
                    type={field.secret ? 'password' : 'text'}
                    autoComplete="off"
                    spellCheck={false}
                    required={!field.optional}
                    value={values[field.name] ?? ''}
                    onChange={(event) => setValues((current) => ({ ...current, [field.name]: event.target.value }))}
                    aria-describedby={field.help ? `${id}-help` : undefined}
                  />
                </Field>
              );
            })}
            {connect.isError ? <Alert>{connect.error.message}</Alert> : null}
            <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" disabled={connect.isPending} aria-busy={connect.isPending}>
                {connect.isPending ? 'Connecting…' : reconnecting ? 'Reconnect' : 'Connect'}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
