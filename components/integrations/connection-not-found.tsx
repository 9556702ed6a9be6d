import { PlugIcon } from '@/components/ui/icons';
import { BackLink } from './connection-header';

export function ConnectionNotFound({ workspaceId }: { workspaceId: string }) {
  return (
    <div className="space-y-6">
      <BackLink workspaceId={workspaceId} />
      <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center dark:border-slate-700 dark:bg-slate-900/40">
        <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600 dark:bg-indigo-950 dark:text-indigo-300">
          <PlugIcon className="size-6" />
        </div>
        <h1 className="text-xl font-semibold text-slate-900 dark:text-slate-100">Connection not found</h1>
        <p className="mx-auto mt-2 max-w-lg text-sm text-slate-600 dark:text-slate-400">
          This workspace has no connection at this address. It may belong to another workspace, or the link may be
          mistyped. Go back to see the tools this workspace has connected.
        </p>
      </div>
    </div>
  );
}
