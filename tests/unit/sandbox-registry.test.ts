// The provider sandbox plays exactly the providers the app registers, each the way its definition
// connects and syncs: so a provider added to one registry and not the other fails here, before
// the contract suite (tests/integration/provider-contract.test.ts) tries to drive it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '@/lib/providers/registry';
import type { SyncResource } from '@/lib/providers/types';
import { PROVIDER_IDS, sandboxProvider, signedDelivery, startSandbox, tamperDelivery, type ProviderId, type Sandbox } from '@/tests/sandbox/server';

const syncResourceIds = (provider: (typeof providers)[number]) =>
  provider.resources.filter((resource): resource is SyncResource => 'fetchPage' in resource).map((resource) => resource.id);

describe('the provider sandbox registry', () => {
  it('lists the same provider ids as the app registry, in the same order', () => {
    expect([...PROVIDER_IDS]).toEqual(providers.map((provider) => provider.id));
  });

  it.each(providers.map((provider) => [provider.id, provider] as const))('%s: same auth kind, a dataset per syncing resource, two accounts', (_id, provider) => {
    const sandboxed = sandboxProvider(provider.id);
    expect(sandboxed.auth.kind).toBe(provider.auth.kind);
    expect(Object.keys(sandboxed.datasets).sort()).toEqual(syncResourceIds(provider).sort());
    for (const [resource, dataset] of Object.entries(sandboxed.datasets)) {
      expect(dataset.spec.key).toBe(`${provider.id}.${resource}`);
      expect(dataset.spec.provider).toBe(provider.id);
    }
    expect(sandboxed.accounts).toHaveLength(2);
    expect(new Set(sandboxed.accounts.map((account) => account.id)).size).toBe(2);
  });
});

describe('signed sample deliveries (for the webhook contract)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  const senders = PROVIDER_IDS.filter((id) => sandboxProvider(id).webhooks);

  it('exist for the providers whose sandbox sends webhooks, and for no other', () => {
    expect(senders.length).toBeGreaterThan(0);
    for (const id of PROVIDER_IDS.filter((id) => !senders.includes(id))) {
      expect(signedDelivery(sandbox, { provider: id, url: 'http://127.0.0.1:9/hook' })).toBeUndefined();
    }
  });

  it.each(senders)('%s: carries its signature header, and tampering changes exactly the body or that header', (id: ProviderId) => {
    const delivery = signedDelivery(sandbox, { provider: id, url: 'http://127.0.0.1:9/api/webhooks/x' })!;
    if (delivery.secretInBody) {
      // The shared secret travels in the body (Graph's clientState): tampering it changes the body only.
      expect(delivery.body).toContain(JSON.stringify(delivery.secretInBody));
      const forged = tamperDelivery(delivery, 'signature');
      expect(forged.body).not.toBe(delivery.body);
      expect(forged.body).not.toContain(JSON.stringify(delivery.secretInBody));
      expect(forged.headers).toEqual(delivery.headers);
      const other = signedDelivery(sandbox, { provider: id, url: delivery.url, account: sandboxProvider(id).accounts[1].id })!;
      expect(other.secretInBody).not.toBe(delivery.secretInBody);
      return;
    }
    if (delivery.secretInQuery) {
      // The shared secret travels in the URL (a sender that signs nothing): tampering it changes the URL only.
      const secretOf = (url: string) => new URL(url).searchParams.get(delivery.secretInQuery!);
      expect(secretOf(delivery.url)).toEqual(expect.any(String));
      const forged = tamperDelivery(delivery, 'signature');
      expect(secretOf(forged.url)).not.toBe(secretOf(delivery.url));
      expect(forged.body).toBe(delivery.body);
      expect(forged.headers).toEqual(delivery.headers);
      const other = signedDelivery(sandbox, { provider: id, url: 'http://127.0.0.1:9/api/webhooks/x', account: sandboxProvider(id).accounts[1].id })!;
      expect(secretOf(other.url)).not.toBe(secretOf(delivery.url));
      return;
    }
    expect(delivery.headers[delivery.signatureHeader]).toEqual(expect.any(String));
    const forged = tamperDelivery(delivery, 'signature');
    expect(forged.headers[delivery.signatureHeader]).not.toBe(delivery.headers[delivery.signatureHeader]);
    expect(forged.body).toBe(delivery.body);
    const edited = tamperDelivery(delivery, 'body');
    expect(edited.body).not.toBe(delivery.body);
    expect(edited.headers).toEqual(delivery.headers);
    // The second account's delivery is its own.
    const other = signedDelivery(sandbox, { provider: id, url: delivery.url, account: sandboxProvider(id).accounts[1].id })!;
    expect(other.headers[other.signatureHeader]).not.toBe(delivery.headers[delivery.signatureHeader]);
  });
});
