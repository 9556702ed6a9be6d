import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials, saveCredentials } from '@/lib/connections/credential-store';
import { reencryptCredentials } from '@/lib/crypto/rotate';
import { reencryptAllSecrets } from '@/lib/crypto/rotate-all';
import { encryptSecret } from '@/lib/crypto/envelope';
import { channelWithToken } from '@/lib/webhooks/channels';
import { activeSigningSecrets, rotateSigningSecret } from '@/lib/webhooks/signing-secrets';
import { asService } from '@/lib/db/rls';
import { connectionCredentials, connections, webhookChannels } from '@/lib/db/schema';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
const k1 = `k1:${crypto.randomBytes(32).toString('base64')}`;
const k2 = `k2:${crypto.randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.ENCRYPTION_KEYS;
  await database.drop();
});

describe(`key rotation (${testEngine})`, () => {
  it('re-encrypts every credential with the newest key; old envelopes keep working until then', async () => {
    const user = await createUser(database);
    const workspaceId = (await createWorkspace(database.db, user, 'Keys')).id;
    process.env.ENCRYPTION_KEYS = k1;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = crypto.randomUUID();
      ids.push(id);
      await asService(database.db, async (tx) => {
        await tx.insert(connections).values({ id, workspaceId, provider: 'hubspot', displayName: 'HubSpot', authKind: 'oauth2' });
        await saveCredentials(tx, { connectionId: id, workspaceId }, { accessToken: `token-${i}`, refreshToken: `refresh-${i}` });
      });
    }
    process.env.ENCRYPTION_KEYS = `${k1},${k2}`;
    expect((await asService(database.db, (tx) => loadCredentials(tx, ids[0])))?.tokens.accessToken).toBe('token-0');

    expect(await reencryptCredentials(database.db)).toEqual({ reencrypted: 3, keyId: 'k2' });
    expect(await reencryptCredentials(database.db)).toEqual({ reencrypted: 0, keyId: 'k2' });
    const keyIds = await asService(database.db, (tx) => tx.select({ keyId: connectionCredentials.keyId }).from(connectionCredentials));
    expect(new Set(keyIds.map((k) => k.keyId))).toEqual(new Set(['k2']));

    process.env.ENCRYPTION_KEYS = k2;
    for (const [i, id] of ids.entries()) {
      expect((await asService(database.db, (tx) => loadCredentials(tx, id)))?.tokens).toEqual({ accessToken: `token-${i}`, refreshToken: `refresh-${i}` });
    }
  });

  it('rotates webhook signing secrets and Google channel tokens along with credentials', async () => {
    const user = await createUser(database);
    const workspaceId = (await createWorkspace(database.db, user, 'Webhook keys')).id;
    process.env.ENCRYPTION_KEYS = k1;
    const connectionId = crypto.randomUUID();
    const channelId = crypto.randomUUID();
    await asService(database.db, async (tx) => {
      await tx.insert(connections).values({ id: connectionId, workspaceId, provider: 'google-calendar', displayName: 'Calendar', authKind: 'oauth2', status: 'active' });
      await tx.insert(webhookChannels).values({
        id: channelId,
        workspaceId,
        connectionId,
        provider: 'google-calendar',
        resource: 'events',
        target: 'primary',
        address: 'https://hub.example.test/api/webhooks/google-calendar',
        keyId: 'k1',
        // Channel tokens are bound to their channel id, as channels.ts seals them.
        tokenEnvelope: encryptSecret('channel-token', `webhook-channel:${channelId}`),
        expiresAt: new Date(Date.now() + 86_400_000),
      });
    });
    const { secret } = await rotateSigningSecret(database.db, user, workspaceId, connectionId);

    process.env.ENCRYPTION_KEYS = `${k1},${k2}`;
    expect(await reencryptAllSecrets(database.db)).toMatchObject({ keyId: 'k2', channelTokens: 1, signingSecrets: 1 });
    expect(await reencryptAllSecrets(database.db)).toEqual({ keyId: 'k2', credentials: 0, channelTokens: 0, signingSecrets: 0 });

    // With the old key gone, both still decrypt.
    process.env.ENCRYPTION_KEYS = k2;
    expect((await channelWithToken(database.db, channelId))?.token).toBe('channel-token');
    expect(await asService(database.db, (tx) => activeSigningSecrets(tx, connectionId))).toEqual([secret]);
  });
});
