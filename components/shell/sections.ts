import type { ComponentType } from 'react';
import { BoltIcon, BracesIcon } from '@/components/actions/bolt-icon';
import { OverviewIcon } from '@/components/overview/overview-icon';
import { ActivityIcon, HistoryIcon, PlugIcon, SettingsIcon } from '@/components/ui/icons';
import { WebhookIcon } from '@/components/webhooks/webhook-icon';

export interface WorkspaceSection {
  slug: 'overview' | 'integrations' | 'sync-history' | 'webhooks' | 'actions' | 'activity' | 'api-reference' | 'settings';
  label: string;
  Icon: ComponentType<{ className?: string }>;
}

export const SECTIONS: readonly WorkspaceSection[] = [
  { slug: 'overview', label: 'Overview', Icon: OverviewIcon },
  { slug: 'integrations', label: 'Integrations', Icon: PlugIcon },
  { slug: 'sync-history', label: 'Sync history', Icon: HistoryIcon },
  { slug: 'webhooks', label: 'Webhooks', Icon: WebhookIcon },
  { slug: 'actions', label: 'Actions', Icon: BoltIcon },
  { slug: 'activity', label: 'Activity', Icon: ActivityIcon },
  { slug: 'api-reference', label: 'API reference', Icon: BracesIcon },
  { slug: 'settings', label: 'Settings', Icon: SettingsIcon },
];

/** The section slug in `/w/{id}/{section}/…`; `/w/{id}` itself (and a path we do not know) is the overview. */
export function sectionOf(pathname: string): WorkspaceSection['slug'] {
  const slug = pathname.split('/')[3];
  return SECTIONS.find((section) => section.slug === slug)?.slug ?? 'overview';
}

/** Where a section lives: the overview is the workspace's own page, `/w/{id}`. */
export function sectionHref(workspaceId: string, slug: WorkspaceSection['slug']): string {
  return slug === 'overview' ? `/w/${workspaceId}` : `/w/${workspaceId}/${slug}`;
}
