import { SectionCard } from '@/components/ui/card';
import { humanizeKey, SCHEDULE_LABELS } from '@/lib/client/connections';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { FactList, When, type Fact } from './fact-list';

interface ConnectionFactsProps {
  connection: Connection;
  provider: CatalogProvider | undefined;
}

export function ConnectionFacts({ connection: c, provider }: ConnectionFactsProps) {
  const details: Fact[] = [
    { label: 'Provider', value: c.providerName },
    { label: 'Account', value: c.accountLabel ?? 'Not identified yet' },
    {
      label: 'Environment',
      value: c.environment === 'sandbox' ? 'Sandbox (the provider sandbox, no real account)' : 'Live',
    },
    { label: 'Sync schedule', value: SCHEDULE_LABELS[c.schedule] ?? c.schedule },
    { label: 'Connected', value: c.connectedAt ? <When iso={c.connectedAt} /> : 'Not yet' },
    { label: 'Last successful sync', value: c.lastSuccessAt ? <When iso={c.lastSuccessAt} /> : 'None yet' },
  ];
  if (c.pausedAt) details.push({ label: 'Paused', value: <When iso={c.pausedAt} /> });
  if (c.disconnectedAt) details.push({ label: 'Disconnected', value: <When iso={c.disconnectedAt} /> });
  if (c.consecutiveFailures > 0) details.push({ label: 'Failures in a row', value: String(c.consecutiveFailures) });
  if (c.lastError) details.push({ label: 'Last error', value: c.lastError });

  const identity: Fact[] = [
    ...(c.accountId ? [{ label: 'Account ID', value: <code className="font-mono text-xs">{c.accountId}</code> }] : []),
    ...Object.entries(c.identity).map(([key, value]) => ({ label: humanizeKey(key), value })),
  ];
  const labels = new Map(provider?.resources.map((r) => [r.id, r.label]));
  const resources = c.resources.map((id) => labels.get(id) ?? humanizeKey(id));

  return (
    <div className="space-y-6">
      <SectionCard id="details-heading" title="Details">
        <FactList facts={details} />
      </SectionCard>
      {identity.length > 0 ? (
        <SectionCard id="identity-heading" title="Account details" description={`As ${c.providerName} reported them when the connection was made.`}>
          <FactList facts={identity} />
        </SectionCard>
      ) : null}
      <SectionCard id="access-heading" title="Access and data">
        <FactList
          facts={[
            { label: 'Syncs', value: resources.length ? resources.join(', ') : 'Nothing selected' },
            {
              label: 'Scopes granted',
              value: c.scopes.length ? (
                <ul className="flex flex-wrap gap-1.5">
                  {c.scopes.map((scope) => (
                    <li key={scope}>
                      <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                        {scope}
                      </code>
                    </li>
                  ))}
                </ul>
              ) : (
                c.authKind === 'api_key' ? 'None (connected with an API key)' : 'None recorded'
              ),
            },
          ]}
        />
      </SectionCard>
    </div>
  );
}
