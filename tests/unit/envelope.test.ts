import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, envelopeKeyId, EnvelopeError } from '@/lib/crypto/envelope';
import { parseKeyRing } from '@/lib/crypto/keys';

const key = () => crypto.randomBytes(32).toString('base64');
const k1 = key();
const k2 = key();
const ringV1 = parseKeyRing(`k1:${k1}`);
const ringV2 = parseKeyRing(`k1:${k1},k2:${k2}`);

describe('AES-256-GCM', () => {
  it('matches the GCM specification test case 16 (AES-256, 96-bit IV, with additional data)', () => {
    // McGrew & Viega, "The Galois/Counter Mode of Operation", Appendix B, test case 16.
    const cipher = crypto.createCipheriv(
      'aes-256-gcm',
      Buffer.from('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308', 'hex'),
      Buffer.from('cafebabefacedbaddecaf888', 'hex'),
    );
    cipher.setAAD(Buffer.from('feedfacedeadbeeffeedfacedeadbeefabaddad2', 'hex'));
    const plaintext = Buffer.from(
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
      'hex',
    );
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    expect(ciphertext.toString('hex')).toBe(
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    );
    expect(cipher.getAuthTag().toString('hex')).toBe('76fc6ece0f4e1768cddf8853bb2d551b');
  });
});

describe('credential envelopes', () => {
  it('round-trips and never contains the plaintext', () => {
    const envelope = encryptSecret('{"access_token":"at-123"}', 'connection:a', ringV1);
    expect(envelope.startsWith('v1.k1.')).toBe(true);
    expect(envelope).not.toContain('at-123');
    expect(decryptSecret(envelope, 'connection:a', ringV1)).toBe('{"access_token":"at-123"}');
  });

  it('uses a fresh IV every time', () => {
    expect(encryptSecret('same', 'aad', ringV1)).not.toBe(encryptSecret('same', 'aad', ringV1));
  });

  it('detects a flipped byte anywhere in IV, ciphertext or tag', () => {
    const envelope = encryptSecret('secret value', 'connection:a', ringV1);
    const parts = envelope.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = [...parts.slice(0, index), bytes.toString('base64url'), ...parts.slice(index + 1)].join('.');
      expect(() => decryptSecret(tampered, 'connection:a', ringV1)).toThrow(EnvelopeError);
    }
  });

  it('refuses an envelope moved to another owner', () => {
    const envelope = encryptSecret('secret', 'connection:a', ringV1);
    expect(() => decryptSecret(envelope, 'connection:b', ringV1)).toThrow(/bound to another owner/);
  });

  it('names an unknown key id', () => {
    const envelope = encryptSecret('secret', 'aad', parseKeyRing(`other:${key()}`));
    expect(() => decryptSecret(envelope, 'aad', ringV1)).toThrow(/"other" is not in ENCRYPTION_KEYS/);
  });

  it('rotates: the newest key encrypts, older keys still decrypt', () => {
    const old = encryptSecret('before rotation', 'aad', ringV1);
    expect(envelopeKeyId(old)).toBe('k1');
    expect(decryptSecret(old, 'aad', ringV2)).toBe('before rotation');
    const fresh = encryptSecret('after rotation', 'aad', ringV2);
    expect(envelopeKeyId(fresh)).toBe('k2');
    expect(() => decryptSecret(fresh, 'aad', ringV1)).toThrow(/"k2" is not in ENCRYPTION_KEYS/);
  });

  it('rejects malformed key lists with a reason', () => {
    expect(() => parseKeyRing('nokey')).toThrow(/id:base64key/);
    expect(() => parseKeyRing(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`k1:${k1},k1:${k2}`)).toThrow(/twice/);
  });
});
