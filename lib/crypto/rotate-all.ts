// Key rotation of every secret the database holds: connection credentials, Google channel tokens
// and webhook signing secrets. Each is re-encrypted under the newest ENCRYPTION_KEYS entry, after
// which older keys can be dropped from the ring.
import type { Db } from '../db/engine';
import { reencryptChannelTokens } from '../webhooks/channels';
import { reencryptSigningSecrets } from '../webhooks/signing-secrets';
import { reencryptEndpointSecrets } from '../outbound/secrets';
import { reencryptCredentials } from './rotate';

export interface RotationReport {
  keyId: string;
  credentials: number;
  channelTokens: number;
  signingSecrets: number;
}

export async function reencryptAllSecrets(db: Db): Promise<RotationReport> {
  const { reencrypted, keyId } = await reencryptCredentials(db);
  const channelTokens = await reencryptChannelTokens(db, keyId);
  // Incoming (per connection) and outgoing (per outbound endpoint) Standard Webhooks secrets.
  const signingSecrets = (await reencryptSigningSecrets(db, keyId)) + (await reencryptEndpointSecrets(db, keyId));
  return { keyId, credentials: reencrypted, channelTokens, signingSecrets };
}
