// Tokens for links sent by mail (email verification, invitations): 32 random bytes, base64url in
// the link, only their SHA-256 stored. Guessing one is hopeless; a database leak reveals no link.
import crypto from 'node:crypto';
import { z } from 'zod';

export const linkTokenSchema = z
  .string({ error: 'token is required' })
  .regex(/^[A-Za-z0-9_-]{43}$/, { error: 'This link is incomplete or malformed. Open it again from the mail.' });

export function newLinkToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}
