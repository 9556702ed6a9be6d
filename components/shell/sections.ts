import type { ComponentType } from 'react';
import { BoltIcon, BracesIcon } from '@/components/actions/bolt-icon';
import { ActivityIcon, HistoryIcon, PlugIcon, SettingsIcon } from '@/components/ui/icons';
import { WebhookIcon } from '@/components/webhooks/webhook-icon';

export interface WorkspaceSection {
  slug: 'integrations' | 'sync-history' | 'webhooks' | 'actions' | 'activity' | 'api-reference' | 'settings';
  label: string;
  Icon: ComponentType<{ className?: string }>;
}

export const SECTIONS: readonly WorkspaceSection[] = [
  { slug: 'integrations', label: 'Integrations', Icon: PlugIcon },
  { slug: 'sync-history', label: 'Sync history', Icon: HistoryIcon },
  { slug: 'webhooks', label: 'Webhooks', Icon: WebhookIcon },
  { slug: 'actions', label: 'Actions', Icon: BoltIcon },
  { slug: 'activity', label: 'Activity', Icon: ActivityIcon },
  { slug: 'api-reference', label: 'API reference', Icon: BracesIcon },
  { slug: 'settings', label: 'Settings', Icon: SettingsIcon },
];

/** The section slug in `/w/{id}/{section}/…`, or integrations when the path has none we know. */
export function sectionOf(pathname: string): WorkspaceSection['slug'] {
  const slug = pathname.split('/')[3];
  return SECTIONS.find((section) => section.slug === slug)?.slug ?? 'integrations';
}
