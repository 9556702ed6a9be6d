'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { isTroubled } from '@/lib/client/connections';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { CatalogFilters, matchesFilter, type CatalogFilter } from './catalog-filters';
import { ProviderCard } from './provider-card';

interface CatalogSectionProps {
  workspaceId: string;
  providers: CatalogProvider[] | undefined;
  connections: Connection[];
  canManage: boolean;
  error: Error | null;
}

export function CatalogSection({ workspaceId, providers, connections, canManage, error }: CatalogSectionProps) {
  const [filter, setFilter] = useState<CatalogFilter>({ search: '', category: '' });
  const shown = providers?.filter((provider) => matchesFilter(provider, filter)) ?? [];
  const filtered = Boolean(filter.search.trim() || filter.category);

  return (
    <section aria-labelledby="catalog-heading" className="space-y-4">
      <div>
        <h2 id="catalog-heading" className="text-lg font-semibold text-slate-900 dark:text-slate-100">
          Catalog
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Every tool this server can connect, and what it syncs.{' '}
          {canManage ? null : <span className="font-medium">Only owners and admins can connect tools.</span>}
        </p>
      </div>
      <CatalogFilters filter={filter} onChange={setFilter} />
      {error ? <Alert>{error.message}</Alert> : null}
      {!providers && !error ? <p className="text-sm text-slate-500 dark:text-slate-400">Loading the catalog…</p> : null}
      {providers && shown.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-5 py-8 text-center text-sm dark:border-slate-700 dark:bg-slate-900/40">
          <h3 className="font-semibold text-slate-900 dark:text-slate-100">
            {filtered ? 'No providers match' : 'No providers are available'}
          </h3>
          <p className="mt-1 text-slate-600 dark:text-slate-400">
            {filtered
              ? 'Try another word or category, or clear the filters to see the whole catalog.'
              : 'This server lists no providers. Check its configuration.'}
          </p>
          {filtered ? (
            <Button variant="secondary" size="sm" className="mt-4" onClick={() => setFilter({ search: '', category: '' })}>
              Clear filters
            </Button>
          ) : null}
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul className="grid gap-4 sm:grid-cols-2">
          {shown.map((provider) => (
            <ProviderCard
              key={provider.id}
              provider={provider}
              workspaceId={workspaceId}
              canManage={canManage}
              troubled={connections.filter((c) => c.provider === provider.id && isTroubled(c.status))}
            />
          ))}
        </ul>
      ) : null}
      <p className="sr-only" aria-live="polite">
        {providers && filtered ? `${shown.length} of ${providers.length} providers shown` : ''}
      </p>
    </section>
  );
}
