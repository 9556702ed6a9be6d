// Sentences for mapping.* activity entries ("ana@x.com saved version 3 of the HubSpot contacts mapping").
import { providerName } from './connections';

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '?');

export function describeMappingAction(action: string, actor: string, d: Record<string, unknown>): string | null {
  const what = `the ${providerName(d)} ${text(d.resource)} mapping`;
  switch (action) {
    case 'mapping.saved':
      return `${actor} saved version ${text(d.version)} of ${what}`;
    case 'mapping.rolled_back':
      return `${actor} rolled ${what} back to version ${text(d.restored)} (now version ${text(d.version)})`;
    case 'mapping.template_applied':
      return `${actor} applied the template “${text(d.template)}” to ${what} (version ${text(d.version)})`;
    case 'mapping.template_saved':
      return `${actor} saved ${what} as the template “${text(d.template)}”`;
    case 'mapping.reapplied':
      return `Version ${text(d.version)} of the ${text(d.resource)} mapping was applied to ${text(d.records)} stored records (${text(d.failed)} failed validation)`;
    default:
      return null;
  }
}
