'use client';

import { useId, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/client/api';
import { API_SCOPES, SCOPE_DESCRIPTIONS, type ApiScope, type CreatedApiKey } from '@/lib/client/api-keys';
import { useCreateApiKey } from './use-api-keys';

interface CreateApiKeyFormProps {
  workspaceId: string;
  onCreated: (created: CreatedApiKey) => void;
}

const DEFAULT_SCOPES: ApiScope[] = ['actions:read'];

/** A name and the scopes; the created key's secret goes to the caller to show once. */
export function CreateApiKeyForm({ workspaceId, onCreated }: CreateApiKeyFormProps) {
  const id = useId();
  const create = useCreateApiKey(workspaceId);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(DEFAULT_SCOPES);
  const noScope = scopes.length === 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (noScope || !name.trim()) return;
    create.mutate(
      { name: name.trim(), scopes },
      {
        onSuccess: (created) => {
          setName('');
          setScopes(DEFAULT_SCOPES);
          onCreated(created);
        },
      },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create an API key">
      <div className="max-w-md">
        <Field label="Name" htmlFor={`${id}-name`} hint="Who or what uses it, e.g. “Booking agent” or “Zapier”." hintId={`${id}-name-hint`}>
          <Input
            id={`${id}-name`}
            value={name}
            maxLength={80}
            required
            autoComplete="off"
            aria-describedby={`${id}-name-hint`}
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Scopes</legend>
        <div className="mt-2 space-y-2">
          {API_SCOPES.map((scope) => (
            <label key={scope} className="flex items-start gap-2.5 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600"
                checked={scopes.includes(scope)}
                onChange={(event) =>
                  setScopes((current) => (event.target.checked ? API_SCOPES.filter((s) => s === scope || current.includes(s)) : current.filter((s) => s !== scope)))
                }
              />
              <span>
                <code className="font-mono text-xs font-semibold text-slate-900 dark:text-slate-100">{scope}</code>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{SCOPE_DESCRIPTIONS[scope]}</span>
              </span>
            </label>
          ))}
        </div>
        {noScope ? <p className="mt-2 text-xs text-red-700 dark:text-red-400">Choose at least one scope.</p> : null}
      </fieldset>
      {create.isError ? <Alert>{errorMessage(create.error)}</Alert> : null}
      <Button type="submit" disabled={create.isPending || noScope || !name.trim()} aria-busy={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create API key'}
      </Button>
    </form>
  );
}
