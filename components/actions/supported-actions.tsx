'use client';

import type { ActionDefinition } from '@/lib/client/actions';
import { ActionKindBadge } from './action-status-badge';
import { useActionDefinitions } from './use-actions';

/** The actions a provider supports, from its definition ("Look up contacts, Create a contact"). */
export function useProviderActions(workspaceId: string, providerId: string | undefined): { actions: ActionDefinition[]; loaded: boolean } {
  const definitions = useActionDefinitions(workspaceId);
  const names = providerId ? (definitions.data?.providers[providerId] ?? []) : [];
  const actions = definitions.data?.actions.filter((action) => names.includes(action.name)) ?? [];
  return { actions, loaded: definitions.isSuccess };
}

/** For the catalog card: one line of the provider's actions. */
export function ProviderActionsLine({ workspaceId, providerId }: { workspaceId: string; providerId: string }) {
  const { actions, loaded } = useProviderActions(workspaceId, providerId);
  if (!loaded) return null;
  return (
    <div>
      <dt className="inline font-medium text-slate-700 dark:text-slate-300">Actions: </dt>
      <dd className="inline">{actions.length ? actions.map((a) => a.title).join(', ') : 'None yet'}</dd>
    </div>
  );
}

/** For the connection page: each action with its description and whether it reads or writes. */
export function SupportedActionsList({ actions }: { actions: ActionDefinition[] }) {
  if (actions.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">This provider supports no actions yet.</p>;
  return (
    <ul className="divide-y divide-slate-200 dark:divide-slate-800">
      {actions.map((action) => (
        <li key={action.name} className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1 py-2.5 first:pt-0 last:pb-0">
          <div className="min-w-0">
            <p className="text-sm font-medium text-slate-900 dark:text-slate-100">
              {action.title} <code className="ml-1 font-mono text-xs font-normal text-slate-500 dark:text-slate-400">{action.name}</code>
            </p>
            <p className="text-xs text-slate-600 dark:text-slate-400">{action.description}</p>
          </div>
          <ActionKindBadge write={action.write} />
        </li>
      ))}
    </ul>
  );
}
