// Turns an activity entry into a sentence a person reads ("ana@x.com added bo@y.com as viewer").
// Connection actions have their own file; actions neither knows yet (sync.*, mapping.*) fall back
// to the action's name plus a short summary of its details, so new features show up without a UI change.
import { describeConnectionAction } from './describe-connection-activity';
import { describeHealthAction } from './describe-health-activity';
import { describeMappingAction } from './describe-mapping-activity';
import { describeSyncAction } from './describe-sync-activity';
import type { ActivityEntry } from './types';
import { humanizeAction } from './format';

export interface ActivityDescription {
  sentence: string;
  /** Extra "key: value" facts, only for actions without a dedicated sentence. */
  summary: string | null;
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function actorLabel(entry: Pick<ActivityEntry, 'actorEmail' | 'actorId'>): string {
  if (entry.actorEmail) return entry.actorEmail;
  return entry.actorId ? 'A former member' : 'Integration Hub';
}

export function describeActivity(entry: ActivityEntry): ActivityDescription {
  const actor = actorLabel(entry);
  const d = entry.details ?? {};
  switch (entry.action) {
    case 'workspace.created':
      return known(`${actor} created the workspace “${text(d.name)}”`);
    case 'workspace.renamed':
      return known(`${actor} renamed the workspace from “${text(d.from)}” to “${text(d.to)}”`);
    case 'member.added':
      return known(
        entry.actorEmail && entry.actorEmail === d.email
          ? `${actor} joined as ${text(d.role)}`
          : `${actor} added ${text(d.email)} as ${text(d.role)}`,
      );
    case 'member.invited':
      return known(`${actor} invited ${text(d.email)} as ${text(d.role)}`);
    case 'member.role_changed':
      return known(`${actor} changed ${text(d.email)} from ${text(d.from)} to ${text(d.to)}`);
    case 'member.removed':
      return known(entry.actorEmail && entry.actorEmail === d.email ? `${actor} left the workspace` : `${actor} removed ${text(d.email)}`);
    default: {
      const specific = entry.action.startsWith('connection.')
        ? describeConnectionAction(entry.action, actor, d)
        : entry.action.startsWith('sync.')
          ? describeSyncAction(entry.action, actor, d)
          : entry.action.startsWith('mapping.')
            ? describeMappingAction(entry.action, actor, d)
            : entry.action.startsWith('health.')
              ? describeHealthAction(entry.action, d)
              : null;
      if (specific) return known(specific);
      return { sentence: `${actor}: ${humanizeAction(entry.action)}`, summary: summarizeDetails(d) };
    }
  }
}

function known(sentence: string): ActivityDescription {
  return { sentence, summary: null };
}

function summarizeDetails(details: Record<string, unknown>): string | null {
  const parts = Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .slice(0, 6)
    .map(([key, value]) => `${humanizeAction(key)}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  if (parts.length === 0) return null;
  const summary = parts.join(' · ');
  return summary.length > 240 ? `${summary.slice(0, 239)}…` : summary;
}
