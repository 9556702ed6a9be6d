// The decision behind saving a connection: which stored connection it lands on, what it records,
// and when a reconnect is refused. No database: the facts are given.
import { describe, expect, it } from 'vitest';
import {
  existingConnectionLookup,
  planConnectionSave,
  type ConnectionSaveFacts,
  type ConnectionSavePlan,
} from '@/lib/connections/connection-save-plan';

const oauthProvider = {
  id: 'hubspot',
  name: 'HubSpot',
  auth: { kind: 'oauth2', scopes: ['crm.objects.contacts.read'] },
  resources: [{ id: 'contacts' }, { id: 'companies' }],
} as unknown as ConnectionSaveFacts['provider'];
const apiKeyProvider = { ...oauthProvider, id: 'fresha', name: 'Fresha', auth: { kind: 'api_key', fields: [] } } as unknown as ConnectionSaveFacts['provider'];
const identity = { accountId: 'acct-1', accountLabel: 'Acme (acct-1)', details: { portal: '42' } };

function facts(overrides: Partial<ConnectionSaveFacts> = {}): ConnectionSaveFacts {
  return {
    provider: oauthProvider,
    tokens: {},
    environment: 'sandbox',
    test: { identity, failure: null },
    existing: { kind: 'none' },
    newConnectionId: 'new-id',
    ...overrides,
  };
}

function saved(plan: ReturnType<typeof planConnectionSave>): ConnectionSavePlan {
  if (!plan.ok) throw new Error(`expected a plan, got ${plan.detail}`);
  return plan;
}

describe('existingConnectionLookup', () => {
  it('looks up the connection being reconnected, by id, whatever the identity', () => {
    expect(existingConnectionLookup('hubspot', 'c-1', identity)).toEqual({ by: 'id', connectionId: 'c-1' });
    expect(existingConnectionLookup('hubspot', 'c-1', null)).toEqual({ by: 'id', connectionId: 'c-1' });
  });

  it('looks for the same account on a new connect, and for nothing without an identity', () => {
    expect(existingConnectionLookup('hubspot', undefined, identity)).toEqual({ by: 'account', provider: 'hubspot', accountId: 'acct-1' });
    expect(existingConnectionLookup('hubspot', undefined, null)).toBeNull();
  });
});

describe('planConnectionSave', () => {
  it('creates an active connection for a new account', () => {
    expect(planConnectionSave(facts())).toEqual({
      ok: true,
      write: 'insert',
      connectionId: 'new-id',
      status: 'active',
      statusReason: null,
      scopes: ['crm.objects.contacts.read'],
      account: { accountId: 'acct-1', accountLabel: 'Acme (acct-1)' },
      settings: { environment: 'sandbox', identity: { portal: '42' } },
      creation: { provider: 'hubspot', displayName: 'HubSpot', authKind: 'oauth2', resources: ['contacts', 'companies'] },
      activity: { action: 'connection.connected', details: { provider: 'hubspot', account: 'Acme (acct-1)', status: 'active' } },
      subscribeWebhooks: true,
    });
  });

  it('updates the connection already holding the account: connecting twice never duplicates', () => {
    const plan = saved(planConnectionSave(facts({ existing: { kind: 'same_account', connectionId: 'c-9' } })));
    expect(plan).toMatchObject({ write: 'update', connectionId: 'c-9', activity: { action: 'connection.reconnected' } });
  });

  it('reconnects the named connection when the account matches or was never known', () => {
    for (const stored of [{ accountId: 'acct-1', accountLabel: 'Acme' }, { accountId: null, accountLabel: null }, undefined]) {
      const plan = saved(planConnectionSave(facts({ existing: { kind: 'reconnect', connectionId: 'c-1', stored } })));
      expect(plan).toMatchObject({ write: 'update', connectionId: 'c-1', status: 'active', activity: { action: 'connection.reconnected' } });
    }
  });

  it('refuses a reconnect signed in to another account', () => {
    const existing = { kind: 'reconnect' as const, connectionId: 'c-1', stored: { accountId: 'acct-2', accountLabel: 'Other Co' } };
    expect(planConnectionSave(facts({ existing }))).toEqual({
      ok: false,
      reason: 'account_mismatch',
      detail: 'You signed in to Acme (acct-1), but this connection belongs to Other Co.',
    });
    const unlabelled = { ...existing, stored: { accountId: 'acct-2', accountLabel: null } };
    expect(planConnectionSave(facts({ existing: unlabelled }))).toMatchObject({ detail: 'You signed in to Acme (acct-1), but this connection belongs to acct-2.' });
  });

  it('saves a connection whose test failed in error, keeping the stored account and opening no push channels', () => {
    const test = { identity: null, failure: 'HTTP 500 from HubSpot' };
    const plan = saved(planConnectionSave(facts({ test, existing: { kind: 'reconnect', connectionId: 'c-1', stored: { accountId: 'acct-2', accountLabel: 'Other' } } })));
    expect(plan.status).toBe('error');
    expect(plan.statusReason).toBe('Connection test failed: HTTP 500 from HubSpot');
    expect(plan).not.toHaveProperty('account');
    expect(plan.settings.identity).toEqual({});
    expect(plan.subscribeWebhooks).toBe(false);
    expect(plan.activity.details).toEqual({ provider: 'hubspot', account: null, status: 'error', reason: 'HTTP 500 from HubSpot' });
  });

  it('creates a new connection when the test failed on a first connect', () => {
    const plan = saved(planConnectionSave(facts({ test: { identity: null, failure: 'timeout' } })));
    expect(plan).toMatchObject({ write: 'insert', connectionId: 'new-id', status: 'error', activity: { action: 'connection.connected' } });
  });

  it('records the granted scopes, else the OAuth scopes asked for, else none', () => {
    expect(saved(planConnectionSave(facts({ tokens: { scopes: ['granted'] } }))).scopes).toEqual(['granted']);
    expect(saved(planConnectionSave(facts())).scopes).toEqual(['crm.objects.contacts.read']);
    const apiKey = saved(planConnectionSave(facts({ provider: apiKeyProvider })));
    expect(apiKey.scopes).toEqual([]);
    expect(apiKey.creation.authKind).toBe('api_key');
  });

  it('prefers the grant the identity check read from the provider over the token answer', () => {
    const introspected = { ...identity, grantedScopes: ['introspected'] };
    expect(saved(planConnectionSave(facts({ tokens: { scopes: ['granted'] }, test: { identity: introspected, failure: null } }))).scopes).toEqual(['introspected']);
    expect(saved(planConnectionSave(facts({ test: { identity: null, failure: 'timeout' } }))).scopes).toEqual(['crm.objects.contacts.read']);
  });

  it('keeps an identity without details as an empty identity', () => {
    const plan = saved(planConnectionSave(facts({ test: { identity: { accountId: 'a', accountLabel: 'A' }, failure: null } })));
    expect(plan.settings).toEqual({ environment: 'sandbox', identity: {} });
  });
});
