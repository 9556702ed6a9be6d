'use client';

import { SupportedActionsList, useProviderActions } from '@/components/actions/supported-actions';
import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import type { Connection } from '@/lib/client/types';
import { TryItPanel } from './try-it-panel';

interface TryItSectionProps {
  workspaceId: string;
  connection: Connection;
  canManage: boolean;
}

/** The connection's actions (from its provider's definition) and, for owners and admins, Try it. */
export function TryItSection({ workspaceId, connection, canManage }: TryItSectionProps) {
  const { actions, loaded } = useProviderActions(workspaceId, connection.provider);
  const base = `/w/${workspaceId}`;
  return (
    <SectionCard
      id="actions-heading"
      title="Actions"
      description="What your systems and agents can do on this connection through the Actions API and the MCP endpoint."
    >
      <div className="space-y-6">
        {loaded ? <SupportedActionsList actions={actions} /> : <p className="text-sm text-slate-500 dark:text-slate-400">Loading actions…</p>}
        {actions.length > 0 && connection.status !== 'disconnected' ? (
          canManage ? (
            <section aria-labelledby="try-it-heading" className="space-y-4 border-t border-slate-200 pt-5 dark:border-slate-800">
              <div>
                <h3 id="try-it-heading" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
                  Try it
                </h3>
                <p className="text-sm text-slate-600 dark:text-slate-400">Runs for real, through the same API path as an API key, and lands in the action log.</p>
              </div>
              <TryItPanel workspaceId={workspaceId} connection={connection} actions={actions} />
            </section>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Only owners and admins can try actions from here.</p>
          )
        ) : null}
        <p className="flex flex-wrap gap-x-6 gap-y-2 border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
          <TextLink href={`${base}/actions?connection=${connection.id}`}>Action log</TextLink>
          <TextLink href={`${base}/api-reference`}>API reference</TextLink>
        </p>
      </div>
    </SectionCard>
  );
}
