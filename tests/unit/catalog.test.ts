// The catalog card promises only what a provider implements: its "Syncs" line lists exactly the
// resources with a page fetcher, and its actions are exactly the handlers its definition declares.
import { describe, expect, it } from 'vitest';
import { actionDefinitions } from '@/lib/actions/openapi';
import { ACTION_NAMES } from '@/lib/actions/schemas';
import { catalog, catalogEntry } from '@/lib/providers/catalog';
import { providers } from '@/lib/providers/registry';
import type { ProviderDefinition } from '@/lib/providers/types';

/** Read straight off the definition, independently of lib/providers/catalog.ts. */
const fetchable = (provider: ProviderDefinition) =>
  provider.resources.filter((r) => typeof (r as { fetchPage?: unknown }).fetchPage === 'function').map((r) => r.id);

describe('catalog', () => {
  it("lists, for every provider, exactly the resources that have a sync implementation", () => {
    const entries = catalog();
    expect(entries.map((e) => e.id)).toEqual(providers.map((p) => p.id));
    for (const [index, provider] of providers.entries()) {
      const entry = entries[index];
      expect(entry.syncs.map((s) => s.id), provider.id).toEqual(fetchable(provider));
      for (const sync of entry.syncs) expect(sync.label).toBe(provider.resources.find((r) => r.id === sync.id)!.label);
    }
  });

  it('leaves a declared resource without a fetcher off the Syncs line', () => {
    const [base] = providers;
    const declaredOnly: ProviderDefinition = { ...base, resources: [...base.resources, { id: 'not-yet', label: 'Not yet' }] };
    const entry = catalogEntry(declaredOnly);
    expect(entry.resources.map((r) => r.id)).toContain('not-yet');
    expect(entry.syncs.map((s) => s.id)).not.toContain('not-yet');
    expect(entry.syncs.map((s) => s.id)).toEqual(fetchable(base));
    expect(catalogEntry({ ...base, resources: [{ id: 'not-yet', label: 'Not yet' }] }).syncs).toEqual([]);
  });

  it("offers on the card exactly the actions a provider's definition implements", () => {
    const { providers: byProvider } = actionDefinitions(providers);
    for (const provider of providers) {
      const implemented = ACTION_NAMES.filter((name) => typeof provider.actions?.[name] === 'function');
      expect(byProvider[provider.id], provider.id).toEqual(implemented);
    }
  });
});
