'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { actionLogKey } from '@/components/actions/use-actions';
import { ActionKindBadge } from '@/components/actions/action-status-badge';
import { SchemaFields } from '@/components/actions/schema-form';
import { initialDraft, objectValue, pointerKey, type ExampleContext, type ObjectDraft } from '@/components/actions/schema-form-model';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { actionPath, runActionFromBrowser, type ActionDefinition, type TryItAnswer } from '@/lib/client/actions';
import type { Connection } from '@/lib/client/types';
import { TryItAnswerView } from './try-it-answer';
import { CodeBlock } from '@/components/ui/code-block';

/** A fresh Idempotency-Key (crypto.randomUUID needs a secure context; plain http on a LAN address has none). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface TryItPanelProps {
  workspaceId: string;
  connection: Connection;
  actions: ActionDefinition[];
}

/**
 * Run one of the connection's actions from the app: a form generated from the action's input
 * schema, sent to the public API (/api/v1, this admin's session) exactly as an API key would send it.
 */
export function TryItPanel({ workspaceId, connection, actions }: TryItPanelProps) {
  const id = useId();
  const queryClient = useQueryClient();
  const [context] = useState<ExampleContext>(() => ({
    now: new Date(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    mode: 'form',
  }));
  const [actionName, setActionName] = useState<string>(actions[0]?.name ?? '');
  const action = actions.find((a) => a.name === actionName) ?? actions[0];
  const [drafts, setDrafts] = useState<Record<string, ObjectDraft>>({});
  const draft = action ? (drafts[action.name] ?? initialDraft(action.inputSchema, context)) : null;
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [answers, setAnswers] = useState<Record<string, TryItAnswer>>({});
  const answer = action ? answers[action.name] : undefined;

  const input = useMemo(() => (action && draft ? objectValue(action.inputSchema, draft) : {}), [action, draft]);
  const errors = useMemo(() => {
    const list = answer && !answer.ok ? ((answer.body as { errors?: { pointer: string; detail: string }[] } | null)?.errors ?? []) : [];
    return new Map(list.map((e) => [pointerKey(e.pointer), e.detail]));
  }, [answer]);

  const run = useMutation({
    mutationFn: (request: { action: ActionDefinition; input: unknown; key?: string }) =>
      runActionFromBrowser({ workspaceId, connectionId: connection.id, action: request.action.name, input: request.input, idempotencyKey: request.key }),
    onSuccess: (result, request) => setAnswers((current) => ({ ...current, [request.action.name]: result })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: actionLogKey(workspaceId) }),
  });

  if (!action || !draft) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!action || run.isPending) return;
    run.mutate({ action, input, key: action.write ? idempotencyKey.trim() : undefined });
  }

  const usable = connection.status === 'active' || connection.status === 'error';
  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Try it">
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1.5">
          <label htmlFor={`${id}-action`} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
            Action
          </label>
          <Select id={`${id}-action`} value={action.name} onChange={(e) => setActionName(e.target.value)}>
            {actions.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name} — {a.title}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex items-end gap-2 text-sm text-slate-600 sm:pb-2 dark:text-slate-400">
          <ActionKindBadge write={action.write} />
          <span>
            needs <code className="font-mono text-xs">{action.scope}</code>
          </span>
        </div>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">{action.description}</p>
      {usable ? null : (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
          This connection is {connection.status.replace('_', ' ')}: the API will refuse to run actions until it is active again.
        </p>
      )}

      <SchemaFields
        key={action.name}
        schema={action.inputSchema}
        draft={draft}
        onChange={(next) => setDrafts((current) => ({ ...current, [action.name]: next }))}
        errors={errors}
        idPrefix={`${id}-input`}
        context={context}
      />

      {action.write ? (
        <div className="space-y-1.5">
          <label htmlFor={`${id}-key`} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
            Idempotency-Key
          </label>
          <div className="flex gap-2">
            <Input
              id={`${id}-key`}
              value={idempotencyKey}
              onChange={(e) => setIdempotencyKey(e.target.value)}
              className="font-mono"
              spellCheck={false}
              autoComplete="off"
              aria-describedby={`${id}-key-hint`}
            />
            <Button variant="secondary" onClick={() => setIdempotencyKey(newIdempotencyKey())}>
              New key
            </Button>
          </div>
          <p id={`${id}-key-hint`} className="text-xs text-slate-500 dark:text-slate-400">
            Writes need one. Run again with the same key and input to see the stored answer replayed; use a new key for a new operation.
          </p>
        </div>
      ) : null}

      <details className="rounded-lg border border-slate-200 text-sm dark:border-slate-700">
        <summary className="cursor-pointer px-3 py-2 font-medium text-slate-700 dark:text-slate-200">Request</summary>
        <CodeBlock label="Request" className="overflow-auto border-t border-slate-200 p-3 font-mono text-xs leading-relaxed text-slate-800 dark:border-slate-700 dark:text-slate-200">
          {`POST ${actionPath(connection.id, action.name)}\n`}
          {`Content-Type: application/json\n`}
          {action.write ? `Idempotency-Key: ${idempotencyKey}\n` : ''}
          {`\n${JSON.stringify(input, null, 2)}`}
        </CodeBlock>
      </details>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={run.isPending} aria-busy={run.isPending}>
          {run.isPending ? 'Running…' : `Run ${action.name}`}
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            setDrafts((current) => {
              const next = { ...current };
              delete next[action.name];
              return next;
            });
            setAnswers((current) => {
              const next = { ...current };
              delete next[action.name];
              return next;
            });
          }}
        >
          Reset
        </Button>
      </div>

      {answer ? <TryItAnswerView answer={answer} workspaceId={workspaceId} connectionId={connection.id} /> : null}
    </form>
  );
}
