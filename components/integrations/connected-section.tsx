import { Alert } from '@/components/ui/alert';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { ConnectionCard } from './connection-card';

interface ConnectedSectionProps {
  workspaceId: string;
  connections: Connection[] | undefined;
  providers: CatalogProvider[];
  canManage: boolean;
  error: Error | null;
}

export function ConnectedSection({ workspaceId, connections, providers, canManage, error }: ConnectedSectionProps) {
  return (
    <section aria-labelledby="connected-heading" className="space-y-3">
      <div>
        <h2 id="connected-heading" className="text-lg font-semibold text-slate-900 dark:text-slate-100">
          Connected
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The accounts this workspace exchanges data with.{' '}
          {canManage ? 'Open one to test, pause or disconnect it.' : 'Open one to see its account and status.'}
        </p>
      </div>
      {error ? <Alert>{error.message}</Alert> : null}
      {!connections && !error ? <ConnectedSkeleton /> : null}
      {connections && connections.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-5 py-6 text-sm dark:border-slate-700 dark:bg-slate-900/40">
          <h3 className="font-semibold text-slate-900 dark:text-slate-100">No tools connected yet</h3>
          <p className="mt-1 text-slate-600 dark:text-slate-400">
            {canManage
              ? 'Pick a tool in the catalog below and choose Connect. You sign in to the tool, and its account appears here.'
              : 'Ask an owner or admin of this workspace to connect the tools your team uses; they will appear here.'}
          </p>
        </div>
      ) : null}
      {connections && connections.length > 0 ? (
        <ul className="grid gap-3 sm:grid-cols-2">
          {connections.map((connection) => (
            <ConnectionCard
              key={connection.id}
              workspaceId={workspaceId}
              connection={connection}
              provider={providers.find((p) => p.id === connection.provider)}
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ConnectedSkeleton() {
  return (
    <div aria-hidden="true" className="grid gap-3 sm:grid-cols-2">
      {[0, 1].map((i) => (
        <div key={i} className="flex gap-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <div className="size-10 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800" />
          <div className="flex-1 space-y-2 pt-1">
            <div className="h-3 w-1/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
            <div className="h-3 w-2/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
          </div>
        </div>
      ))}
    </div>
  );
}
