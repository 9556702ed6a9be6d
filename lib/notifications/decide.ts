// Who hears about an issue, and how: a pure decision over the workspace's members and their
// preferences, kept apart from the reads and writes (notify.ts) so every rule is unit-tested.
import type { HealthSeverity } from '../health/types';

export const EMAIL_MODES = ['immediately', 'daily_digest', 'off'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

export interface NotificationPreferences {
  /** The least severe issue that still notifies: 'warning' admits warning and critical. */
  minSeverity: HealthSeverity;
  email: EmailMode;
}

/** A member with no stored preferences: warning and above, mail at once. */
export const DEFAULT_PREFERENCES: NotificationPreferences = { minSeverity: 'warning', email: 'immediately' };

export interface Member {
  userId: string;
  /** The sign-in address; null when the account has none. */
  email: string | null;
  /** Only a proven address receives mail (an unverified one may belong to someone else). */
  emailVerified: boolean;
  preferences: NotificationPreferences | null;
}

/** How one member's notification is mailed: not at all, now, or in the next daily digest. */
export type Delivery = 'none' | 'immediately' | 'daily_digest';

export interface Recipient {
  userId: string;
  /** Present only when the notification is mailed (a verified address). */
  email: string | null;
  delivery: Delivery;
}

const RANK: Record<HealthSeverity, number> = { info: 0, warning: 1, critical: 2 };

export function admits(minimum: HealthSeverity, severity: HealthSeverity): boolean {
  return RANK[severity] >= RANK[minimum];
}

/**
 * Every member whose threshold admits the severity gets an in-app notification; of those, the
 * ones with a verified address and mail not switched off get it by mail, at once or in a digest.
 */
export function decideRecipients(severity: HealthSeverity, members: readonly Member[]): Recipient[] {
  const recipients: Recipient[] = [];
  for (const member of members) {
    const preferences = member.preferences ?? DEFAULT_PREFERENCES;
    if (!admits(preferences.minSeverity, severity)) continue;
    const mailable = member.emailVerified && !!member.email && preferences.email !== 'off';
    recipients.push({
      userId: member.userId,
      email: mailable ? member.email : null,
      delivery: mailable ? (preferences.email as Exclude<EmailMode, 'off'>) : 'none',
    });
  }
  return recipients;
}

/** An issue's link inside the app: the fix's own path, else the connection, else the workspace. */
export function issueHref(issue: { workspaceId: string; connectionId: string | null; fix: { href: string | null } }): string {
  const fix = issue.fix.href;
  // Only a path inside this app: a notification never sends anyone to another site.
  if (fix && fix.startsWith('/') && !fix.startsWith('//') && !fix.includes('\\') && fix.length <= 2000) return fix;
  if (issue.connectionId) return `/w/${issue.workspaceId}/integrations/${issue.connectionId}`;
  return `/w/${issue.workspaceId}`;
}
