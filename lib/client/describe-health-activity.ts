// Sentences for health.* activity entries ("Issue opened: HubSpot — Acme needs re-authorising").
// The rules write the issue's title into the entry, so the sentence needs nothing else.

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function describeHealthAction(action: string, d: Record<string, unknown>): string | null {
  const title = text(d.title) || 'a health issue';
  switch (action) {
    case 'health.issue_opened':
      return `Issue opened (${text(d.severity) || 'warning'}): ${title}`;
    case 'health.issue_resolved': {
      const count = typeof d.count === 'number' ? d.count : 0;
      return `Issue resolved: ${title}${count > 1 ? ` (seen ${count} times)` : ''}`;
    }
    default:
      return null;
  }
}
