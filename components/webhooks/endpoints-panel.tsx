'use client';

import { useProvidersList } from '@/components/sync/use-sync-data';
import { SectionCard } from '@/components/ui/card';
import { EndpointUrl } from './endpoint-url';
import { useOrigin } from './use-origin';

/** Where each provider posts, and what it takes to make it post. */
export function EndpointsPanel() {
  const providers = useProvidersList().data?.providers ?? [];
  const origin = useOrigin();
  const sending = providers.flatMap((p) => (p.webhooks ? [{ ...p, webhooks: p.webhooks }] : []));
  const silent = providers.filter((p) => !p.webhooks);
  return (
    <SectionCard
      id="webhook-endpoints-heading"
      title="Endpoints"
      description="Every delivery is verified over its raw bytes, stored before it is acknowledged, deduplicated by the provider’s event id, and then applied or turned into an incremental sync."
    >
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {sending.map((provider) => (
          <li key={provider.id} className="space-y-1.5 py-3 first:pt-0">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-medium text-slate-900 dark:text-slate-100">{provider.name}</span>
              {origin ? <EndpointUrl url={`${origin}/api/webhooks/${provider.id}`} label={`${provider.name} webhook URL`} /> : null}
            </div>
            <p className="text-sm text-slate-600 dark:text-slate-400">{provider.webhooks.setup}</p>
          </li>
        ))}
        <li className="space-y-1 py-3">
          <span className="font-medium text-slate-900 dark:text-slate-100">Any other tool</span>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Each connection also has its own endpoint signed with the Standard Webhooks scheme (webhook-id, webhook-timestamp,
            webhook-signature): open a connection’s Webhooks page for its URL and signing secret.
          </p>
        </li>
        {silent.length > 0 ? (
          <li className="space-y-1 py-3 last:pb-0">
            <span className="font-medium text-slate-900 dark:text-slate-100">No signed public webhooks</span>
            <ul className="list-disc space-y-0.5 pl-5 text-sm text-slate-600 dark:text-slate-400">
              {silent.map((provider) => (
                <li key={provider.id}>
                  {provider.name}: {provider.webhooksNote}
                </li>
              ))}
            </ul>
          </li>
        ) : null}
      </ul>
      {origin ? (
        <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">
          URLs use the address this page was opened at; behind a proxy, register the public address (PUBLIC_APP_URL) instead.
        </p>
      ) : null}
    </SectionCard>
  );
}
