// PKCE (RFC 7636) with the S256 method.
import crypto from 'node:crypto';

export function codeChallengeS256(verifier: string): string {
  return crypto.createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A 43-character verifier (32 random bytes, base64url) and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string; method: 'S256' } {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: codeChallengeS256(verifier), method: 'S256' };
}
