// AES-256-GCM envelopes for secrets at rest: "v1.<keyId>.<iv>.<ciphertext>.<tag>" (base64url).
// The additional data binds a ciphertext to its owner (a connection, an OAuth state): an
// envelope copied onto another row fails to decrypt.
import crypto from 'node:crypto';
import { keyRing, type KeyRing } from './keys';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export function encryptSecret(plaintext: string, additionalData: string, ring: KeyRing = keyRing()): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', ring.current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return [VERSION, ring.current.id, ...parts].join('.');
}

export function envelopeKeyId(envelope: string): string {
  const [version, keyId] = envelope.split('.');
  if (version !== VERSION || !keyId) throw new EnvelopeError('Not a credential envelope');
  return keyId;
}

export function decryptSecret(envelope: string, additionalData: string, ring: KeyRing = keyRing()): string {
  const parts = envelope.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new EnvelopeError('Not a credential envelope');
  const [, keyId, ivText, ciphertextText, tagText] = parts;
  const key = ring.byId.get(keyId);
  if (!key) throw new EnvelopeError(`Encryption key "${keyId}" is not in ENCRYPTION_KEYS`);
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new EnvelopeError('Malformed credential envelope');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(additionalData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new EnvelopeError('Credential envelope failed authentication (tampered, or bound to another owner)');
  }
}

export const credentialAad = (connectionId: string) => `connection:${connectionId}`;
