import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import { formatMs, formatRate, type Overview } from '@/lib/client/overview';
import { Stat } from './stat';

/** Webhook deliveries received in the last 24 hours, and how long processing took. */
export function WebhookStats({ workspaceId, webhooks: w }: { workspaceId: string; webhooks: Overview['webhooks'] }) {
  return (
    <SectionCard
      id="overview-webhooks-heading"
      title="Webhook deliveries"
      description={
        <>
          Last 24 hours, received to processed. <TextLink href={`/w/${workspaceId}/webhooks`}>All deliveries</TextLink>
        </>
      }
    >
      <dl className="grid grid-cols-2 gap-4">
        <Stat label="Deliveries" value={w.deliveries.toLocaleString('en')} hint={w.pending ? `${w.pending} waiting` : undefined} />
        <Stat
          label="Failed"
          value={w.failed.toLocaleString('en')}
          tone={w.failed ? 'bad' : 'plain'}
          hint={w.deliveries ? `${formatRate(w.failureRate)} of deliveries` : 'None received'}
        />
        <Stat label="Latency p50" value={formatMs(w.latencyMs.p50)} />
        {/* On a busy day the percentiles are over the newest deliveries only: say how many. */}
        <Stat
          label="Latency p95"
          value={formatMs(w.latencyMs.p95)}
          hint={w.latencyMs.sampled < w.deliveries - w.pending ? `Newest ${w.latencyMs.sampled.toLocaleString('en')} deliveries` : undefined}
        />
      </dl>
    </SectionCard>
  );
}

/** Action calls in the last 24 hours: how many, how many failed, how slow the slowest were. */
export function ActionStats({ workspaceId, actions: a }: { workspaceId: string; actions: Overview['actions'] }) {
  return (
    <SectionCard
      id="overview-actions-heading"
      title="Actions"
      description={
        <>
          Calls through the API and MCP in the last 24 hours. <TextLink href={`/w/${workspaceId}/actions`}>Action log</TextLink>
        </>
      }
    >
      <dl className="grid grid-cols-2 gap-4">
        <Stat label="Calls" value={a.calls.toLocaleString('en')} />
        <Stat
          label="Error rate"
          value={formatRate(a.errorRate)}
          tone={a.failed ? 'bad' : 'plain'}
          hint={a.calls ? `${a.failed.toLocaleString('en')} failed` : 'No calls yet'}
        />
        <Stat label="Duration p95" value={formatMs(a.p95Ms)} />
      </dl>
    </SectionCard>
  );
}
