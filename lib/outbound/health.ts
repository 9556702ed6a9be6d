// The health issue of an outbound endpoint that failed for days (kind endpoint_failing, a
// workspace-level issue: no connection, subject = the endpoint id). Raised when the endpoint is
// disabled for it; cleared when someone enables it again. lib/health owns the issue store.
import type { Db } from '../db/engine';
import { clearIssue, raiseIssue } from '../health/store';
import { DISABLE_AFTER_FAILING_MS } from './backoff';

const DAYS = Math.round(DISABLE_AFTER_FAILING_MS / 86_400_000);

export function webhooksHref(workspaceId: string, endpointId: string): string {
  return `/w/${workspaceId}/webhooks?tab=outgoing&endpoint=${endpointId}`;
}

export async function raiseEndpointFailing(
  db: Db,
  input: { workspaceId: string; endpointId: string; url: string; failingSince: Date; lastError: string | null },
): Promise<void> {
  const host = safeHost(input.url);
  await raiseIssue(db, {
    workspaceId: input.workspaceId,
    connectionId: null,
    kind: 'endpoint_failing',
    severity: 'critical',
    subject: input.endpointId,
    title: `Outgoing webhooks to ${host} were turned off`,
    explanation: `Every delivery to ${input.url} has failed since ${input.failingSince.toISOString().slice(0, 16).replace('T', ' ')} UTC (over ${DAYS} days), so the endpoint was disabled. Events are not sent to it until it is enabled again.`,
    fix: { kind: 'edit_endpoint', label: 'Check the endpoint', href: webhooksHref(input.workspaceId, input.endpointId) },
    details: { endpointId: input.endpointId, url: input.url, failingSince: input.failingSince.toISOString(), lastError: input.lastError },
  });
}

export async function clearEndpointFailing(db: Db, workspaceId: string, endpointId: string): Promise<void> {
  await clearIssue(db, { workspaceId, connectionId: null, kind: 'endpoint_failing', subject: endpointId });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
