// Every provider's default mappings: one for each resource that syncs, none for a resource that
// neither syncs nor arrives by webhook, and each one parses. Each provider's mappings are checked on records built exactly as
// the sandbox builds them beside it (tests/sandbox/providers/<id>/mappings.unit.test.ts, with the
// helpers in tests/support/default-mappings.ts).
import { describe, expect, it } from 'vitest';
import { parseMapping } from '@/lib/mapping';
import { providers } from '@/lib/providers/registry';

describe('default mappings', () => {
  it('exist for every resource that syncs, and parse', () => {
    for (const provider of providers) {
      const syncing = provider.resources.filter((r) => 'fetchPage' in r).map((r) => r.id);
      // A resource no sync lists may still get records from webhooks (Telegram's messages: no
      // history API), and then may have a mapping too; nothing else may.
      const fed = provider.webhooks ? provider.resources.map((r) => r.id) : syncing;
      const mapped = Object.keys(provider.defaultMappings ?? {});
      expect(syncing.filter((id) => !mapped.includes(id)), provider.id).toEqual([]);
      expect(mapped.filter((id) => !fed.includes(id)), provider.id).toEqual([]);
      for (const [resource, mapping] of Object.entries(provider.defaultMappings ?? {})) {
        const parsed = parseMapping(mapping);
        expect(parsed.ok ? [] : parsed.issues, `${provider.id} ${resource}`).toEqual([]);
      }
      // A provider has default mappings exactly when something of it syncs or arrives by webhook.
      expect(Boolean(provider.defaultMappings), provider.id).toBe(syncing.length > 0 || (mapped.length > 0 && Boolean(provider.webhooks)));
    }
  });
});
