'use client';

import { lazy, Suspense, useState } from 'react';
import { useConnections, useProviders } from '@/components/integrations/use-integrations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SectionCard } from '@/components/ui/card';
import { PlusIcon } from '@/components/ui/icons';
import { LoadingNote } from '@/components/ui/loading-note';
import { TextLink } from '@/components/ui/text-link';
import type { PushView } from '@/lib/client/push';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { PushCard } from './push-card';
import { usePushDestinations, usePushes, usePushesOf } from './use-push';

// The editor opens only when an admin adds or edits a push; it brings the mapping rows editor and
// the model's zod schemas, so it loads then rather than with the page. React.lazy, not
// next/dynamic: next/dynamic adds its own loader (~1.5 KB gzipped) to the first load.
const PushEditor = lazy(() => import('./push-editor').then((module) => ({ default: module.PushEditor })));
const editorLoading = <LoadingNote>Loading the push editor…</LoadingNote>;

interface PushesSectionProps {
  workspaceId: string;
  connection: Connection;
  canManage: boolean;
}

/**
 * The connection page's pushes: on a destination, the pushes writing to it (admins create, edit,
 * run and delete them); on a source, the pushes that read its records. Nothing when neither.
 */
export function PushesSection({ workspaceId, connection, canManage }: PushesSectionProps) {
  const providers = useProviders();
  const connections = useConnections(workspaceId);
  const catalog = providers.data?.providers ?? [];
  const all = connections.data?.connections ?? [];
  const provider = catalog.find((p) => p.id === connection.provider);
  const isDestination = Boolean(provider?.pushDestinations.length);
  const name = (id: string) => all.find((c) => c.id === id)?.displayName ?? 'a removed connection';

  return (
    <>
      {isDestination && provider ? (
        <DestinationPushes workspaceId={workspaceId} connection={connection} canManage={canManage} connections={all} providers={catalog} connectionName={name} />
      ) : null}
      <SourcePushes workspaceId={workspaceId} connection={connection} connections={all} providers={catalog} connectionName={name} />
    </>
  );
}

interface DestinationPushesProps extends PushesSectionProps {
  connections: Connection[];
  providers: CatalogProvider[];
  connectionName: (id: string) => string;
}

function DestinationPushes({ workspaceId, connection, canManage, connections, providers, connectionName }: DestinationPushesProps) {
  const destinations = usePushDestinations(workspaceId, connection.id);
  const pushes = usePushes(workspaceId, connection.id);
  const [editing, setEditing] = useState<'new' | string | null>(null);
  const ready = destinations.data && connections.length > 0 && providers.length > 0;
  const list = pushes.data ?? [];

  return (
    <SectionCard
      id="pushes-out-heading"
      title="Pushes out"
      description={`The workspace's records this hub sends to ${connection.displayName}: only what changed, in batches, with every refused record listed.`}
      flush
    >
      <div className="divide-y divide-slate-200 dark:divide-slate-800">
        {destinations.isError ? <Alert className="mx-5 my-3">{destinations.error.message}</Alert> : null}
        {pushes.isError ? <Alert className="mx-5 my-3">{pushes.error.message}</Alert> : null}
        {pushes.isPending ? <p className="px-5 py-4 text-sm text-slate-500 dark:text-slate-400">Loading pushes…</p> : null}
        {pushes.isSuccess && !list.length && editing !== 'new' ? (
          <p className="px-5 py-4 text-sm text-slate-600 dark:text-slate-400">
            No pushes yet.{canManage ? ' Add one to send contacts here.' : ' Owners and admins can add one.'}
          </p>
        ) : null}
        {list.map((push) =>
          editing === push.id && ready ? (
            <div key={push.id} className="p-3 sm:p-5">
              <Suspense fallback={editorLoading}>
                <PushEditor
                  workspaceId={workspaceId}
                  destination={connection}
                  destinations={destinations.data}
                  connections={connections}
                  providers={providers}
                  existing={push}
                  onDone={() => setEditing(null)}
                />
              </Suspense>
            </div>
          ) : (
            <PushCard
              key={push.id}
              workspaceId={workspaceId}
              destinationId={connection.id}
              push={push}
              destinations={destinations.data ?? []}
              canManage={canManage}
              connectionName={connectionName}
              onEdit={() => setEditing(push.id)}
            />
          ),
        )}
        {canManage && editing === 'new' && ready ? (
          <div className="p-3 sm:p-5">
            <Suspense fallback={editorLoading}>
              <PushEditor
                workspaceId={workspaceId}
                destination={connection}
                destinations={destinations.data}
                connections={connections}
                providers={providers}
                onDone={() => setEditing(null)}
              />
            </Suspense>
          </div>
        ) : null}
        {canManage && editing === null && connection.status !== 'disconnected' ? (
          <div className="px-5 py-4">
            <Button variant="secondary" disabled={!ready} onClick={() => setEditing('new')}>
              <PlusIcon className="size-4" />
              New push
            </Button>
          </div>
        ) : null}
      </div>
    </SectionCard>
  );
}

interface SourcePushesProps {
  workspaceId: string;
  connection: Connection;
  connections: Connection[];
  providers: CatalogProvider[];
  connectionName: (id: string) => string;
}

/** Pushes anywhere in the workspace whose sources include this connection. */
function SourcePushes({ workspaceId, connection, connections, providers, connectionName }: SourcePushesProps) {
  const destinationIds = connections
    .filter((c) => c.id !== connection.id && providers.find((p) => p.id === c.provider)?.pushDestinations.length)
    .map((c) => c.id);
  const results = usePushesOf(workspaceId, destinationIds);
  const reading: { destination: string; push: PushView }[] = results.flatMap((result, index) =>
    (result.data ?? []).filter((push) => push.config.sourceConnectionIds.includes(connection.id)).map((push) => ({ destination: destinationIds[index], push })),
  );
  if (!reading.length) return null;
  return (
    <SectionCard id="pushes-from-heading" title="Pushes out of this connection" description={`Pushes that send ${connection.displayName}'s stored records to another tool.`} flush>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {reading.map(({ destination, push }) => (
          <li key={push.id} className="flex flex-wrap items-baseline justify-between gap-2 px-5 py-3 text-sm">
            <span>
              <span className="font-medium text-slate-900 dark:text-slate-100">{push.config.name}</span>
              <span className="text-slate-600 dark:text-slate-400"> → </span>
              <TextLink href={`/w/${workspaceId}/integrations/${destination}`}>{connectionName(destination)}</TextLink>
            </span>
            <span className="text-xs text-slate-500 tabular-nums dark:text-slate-400">
              {push.counts.pushed.toLocaleString('en')} pushed · {push.counts.failing.toLocaleString('en')} failing
              {push.lastRun ? ` · last run ${push.lastRun.status}` : ' · never run'}
            </span>
          </li>
        ))}
      </ul>
    </SectionCard>
  );
}
