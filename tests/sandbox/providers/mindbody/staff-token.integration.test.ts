// Mindbody staff user tokens: issued on connect and stored encrypted with the credentials; used
// while fresh; renewed (POST /usertoken/renew) shortly before they expire, once however many
// requests want it at the same time; re-issued when renewal is refused, used up (7 renewals) or
// Mindbody rejects the stored token; and never answered or shown.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiPrincipal } from '@/lib/actions/principal';
import { runAction } from '@/lib/actions/run';
import { connectWithApiKey } from '@/lib/connections/api-key';
import { loadCredentials, saveCredentials } from '@/lib/connections/credential-store';
import { asService } from '@/lib/db/rls';
import { connectionCredentials } from '@/lib/db/schema';
import { STAFF_TOKEN_MAX_RENEWALS } from '@/lib/providers/mindbody/api';
import type { TokenSet } from '@/lib/providers/types';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { eq } from 'drizzle-orm';
import { PROFILE } from './accounts';
import { MINDBODY_SANDBOX_KEY } from './api';
import { testEngine } from '../../../support/database';
import { sandboxSuite } from '../../../support/sandbox-suite';

const suite = sandboxSuite();
const [SITE] = PROFILE.accounts;
const HOUR = 3600_000;

interface Connection {
  workspaceId: string;
  connectionId: string;
  principal: ApiPrincipal;
}

async function connect(): Promise<Connection> {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Staff tokens')).id;
  const { connectionId } = await connectWithApiKey(suite.database.db, suite.admin, workspaceId, {
    provider: 'mindbody',
    fields: { apiKey: MINDBODY_SANDBOX_KEY, siteId: String(SITE.siteId), staffUsername: SITE.staffUsername, staffPassword: SITE.staffPassword },
  });
  const { userId, email } = suite.admin;
  return { workspaceId, connectionId, principal: { kind: 'user', workspaceId, scopes: ['actions:read', 'actions:write'], apiKeyId: null, userId, id: `user:${userId}`, label: email } };
}

const stored = async (c: Connection): Promise<TokenSet> => (await asService(suite.database.db, (tx) => loadCredentials(tx, c.connectionId)))!.tokens;

async function store(c: Connection, extra: Record<string, string>) {
  const tokens = await stored(c);
  await asService(suite.database.db, (tx) => saveCredentials(tx, c, { ...tokens, extra: { ...tokens.extra, ...extra } }));
}

const counts = () => {
  const requests = suite.sandbox.stats().dataRequests as Record<string, number>;
  return { issued: requests['mindbody.tokenIssues'], renewed: requests['mindbody.tokenRenewals'] };
};

/** A staff-token call: looks a client up by email. */
async function lookup(c: Connection) {
  const answer = await runAction(suite.database.db, c.principal, { connectionId: c.connectionId, action: 'contacts.lookup', input: { email: 'nobody@example.com' } });
  expect(answer.ok, JSON.stringify(answer.body)).toBe(true);
  return answer;
}

beforeEach(() => {
  suite.sandbox.setKnobs({ dataset: { 'mindbody.clients': 20, 'mindbody.appointments': 5, 'mindbody.class_visits': 5 } });
});

describe(`Mindbody staff user tokens (${testEngine})`, () => {
  it('are issued on connect, stored only encrypted, and used while fresh', async () => {
    const c = await connect();
    expect(counts().issued).toBe(1);
    const tokens = await stored(c);
    expect(tokens.extra?.staffToken).toMatch(/^sbx_mb_staff_/);
    expect(Date.parse(tokens.extra!.staffTokenExpiresAt) - Date.now()).toBeGreaterThan(23 * HOUR);
    expect(tokens.extra?.staffTokenRenewals).toBe('0');
    // The row holds an envelope, not the token.
    const [row] = await asService(suite.database.db, (tx) => tx.select().from(connectionCredentials).where(eq(connectionCredentials.connectionId, c.connectionId)));
    expect(JSON.stringify(row)).not.toContain(tokens.extra!.staffToken);

    const answer = await lookup(c);
    await lookup(c);
    expect(counts()).toEqual({ issued: 1, renewed: 0 });
    expect(JSON.stringify(answer)).not.toContain(tokens.extra!.staffToken);
    expect(JSON.stringify(answer)).not.toContain(SITE.staffPassword);
  });

  it('are renewed before they expire, once for concurrent requests, keeping the token', async () => {
    const c = await connect();
    const before = await stored(c);
    // Mindbody's token still has a day; ours says 20 minutes: inside the renewal margin.
    const soon = new Date(Date.now() + 20 * 60_000);
    await store(c, { staffTokenExpiresAt: soon.toISOString() });
    await Promise.all([lookup(c), lookup(c), lookup(c)]);
    expect(counts()).toEqual({ issued: 1, renewed: 1 });
    const after = await stored(c);
    expect(after.extra?.staffToken).toBe(before.extra?.staffToken);
    expect(after.extra?.staffTokenRenewals).toBe('1');
    // The sandbox adds 24 hours to the token's real expiry.
    expect(Date.parse(after.extra!.staffTokenExpiresAt) - Date.now()).toBeGreaterThan(47 * HOUR);
    await lookup(c);
    expect(counts().renewed).toBe(1);
  });

  it('are issued afresh when renewal is refused or used up, or Mindbody rejects the stored token', async () => {
    const c = await connect();
    const first = (await stored(c)).extra!.staffToken;

    // Renewal refused: a new token is issued and stored.
    await store(c, { staffTokenExpiresAt: new Date(Date.now() + 10 * 60_000).toISOString() });
    suite.sandbox.setKnobs({ failPage: { provider: 'mindbody', resource: 'tokenRenewals', page: 1, status: 400 } });
    await lookup(c);
    expect(counts()).toEqual({ issued: 2, renewed: 1 });
    const second = await stored(c);
    expect(second.extra?.staffToken).not.toBe(first);
    expect(second.extra?.staffTokenRenewals).toBe('0');

    // Seven renewals used: no eighth is asked for.
    await store(c, { staffTokenExpiresAt: new Date(Date.now() + 10 * 60_000).toISOString(), staffTokenRenewals: String(STAFF_TOKEN_MAX_RENEWALS) });
    await lookup(c);
    expect(counts()).toEqual({ issued: 3, renewed: 1 });

    // A stored token Mindbody no longer knows (revoked, or the sandbox forgot it): the call is
    // refused with 401, a new token is issued and the call made again.
    await store(c, { staffToken: 'sbx_mb_staff_revoked', staffTokenExpiresAt: new Date(Date.now() + 10 * HOUR).toISOString() });
    await lookup(c);
    expect(counts()).toEqual({ issued: 4, renewed: 1 });
    expect((await stored(c)).extra?.staffToken).not.toBe('sbx_mb_staff_revoked');

    // Expired by our clock: issued, not renewed.
    await store(c, { staffTokenExpiresAt: new Date(Date.now() - 60_000).toISOString() });
    await lookup(c);
    expect(counts()).toEqual({ issued: 5, renewed: 1 });
  });
});
