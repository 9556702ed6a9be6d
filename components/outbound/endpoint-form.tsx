'use client';

import { useId, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { errorMessage } from '@/lib/client/api';
import { SUBSCRIBABLE_EVENT_TYPES, type SubscribableEventType } from '@/lib/client/outbound';
import { EVENT_TYPE_DESCRIPTIONS } from './event-types';
import { useCreateEndpoint } from './use-outbound';

interface EndpointFormProps {
  workspaceId: string;
  onCreated: (created: { endpointId: string; secret: string }) => void;
  onCancel: () => void;
}

export function EndpointForm({ workspaceId, onCreated, onCancel }: EndpointFormProps) {
  const id = useId();
  const create = useCreateEndpoint(workspaceId);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<SubscribableEventType[]>(['sync.completed', 'sync.failed', 'connection.status_changed']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url, description, eventTypes: types }, { onSuccess: (created) => onCreated({ endpointId: created.endpoint.id, secret: created.secret }) });
  };
  const toggle = (type: SubscribableEventType, on: boolean) => setTypes((current) => (on ? [...current, type] : current.filter((t) => t !== type)));

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Add an endpoint">
      <Field label="Endpoint URL" htmlFor={`${id}-url`} hint="Where to POST events: an https address your systems listen on." hintId={`${id}-url-hint`}>
        <Input
          id={`${id}-url`}
          type="url"
          required
          inputMode="url"
          placeholder="https://example.com/webhooks/integration-hub"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-describedby={`${id}-url-hint`}
        />
      </Field>
      <Field label="Description" htmlFor={`${id}-description`}>
        <Input id={`${id}-description`} maxLength={500} placeholder="Receptionist agent" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Events to send</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {SUBSCRIBABLE_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 rounded-lg border border-slate-200 p-2 text-sm dark:border-slate-700">
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-indigo-600"
                checked={types.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              <span>
                <span className="block font-mono text-xs text-slate-900 dark:text-slate-100">{type}</span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{EVENT_TYPE_DESCRIPTIONS[type]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {create.isError ? <Alert>{errorMessage(create.error)}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={create.isPending || types.length === 0}>
          {create.isPending ? 'Adding…' : 'Add endpoint'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
