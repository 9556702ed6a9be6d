// Encryption keys for credential envelopes. ENCRYPTION_KEYS lists "id:base64key" pairs separated
// by commas, oldest first: the last one encrypts, every listed one decrypts. Without it (the
// embedded default) one key is generated and kept under DATA_DIR.
import { localSecret } from './local-secrets';

export interface KeyRing {
  current: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function parseKeyRing(spec: string): KeyRing {
  const entries = spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf(':');
      const id = part.slice(0, separator);
      const key = Buffer.from(part.slice(separator + 1), 'base64');
      if (separator < 1 || !KEY_ID.test(id)) {
        throw new Error('ENCRYPTION_KEYS: each entry is "id:base64key" with an id of letters, digits, - or _');
      }
      if (key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
      return { id, key };
    });
  if (entries.length === 0) throw new Error('ENCRYPTION_KEYS is set but lists no key');
  const byId = new Map(entries.map((e) => [e.id, e.key]));
  if (byId.size !== entries.length) throw new Error('ENCRYPTION_KEYS lists a key id twice');
  return { current: entries[entries.length - 1], byId };
}

let cached: { spec: string; ring: KeyRing } | undefined;

export function keyRing(): KeyRing {
  const spec =
    process.env.ENCRYPTION_KEYS ??
    `local-1:${Buffer.from(localSecret('encryption-key-local-1', 32), 'base64url').toString('base64')}`;
  if (cached?.spec !== spec) cached = { spec, ring: parseKeyRing(spec) };
  return cached.ring;
}
