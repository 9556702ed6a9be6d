// Shared pieces of token-response parsing; each provider composes its own from these.
import { z } from 'zod';
import type { TokenSet } from './types';

export const bearerTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

export function expiresAtFromSeconds(now: Date, seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : new Date(now.getTime() + seconds * 1000).toISOString();
}

/** Standard OAuth2 answer: refresh answers that omit refresh_token keep the previous one. */
export function parseStandardTokenResponse(body: unknown, now: Date, previous?: TokenSet, scopeSeparator = ' '): TokenSet {
  const parsed = bearerTokenResponse.parse(body);
  return {
    accessToken: parsed.access_token,
    refreshToken: parsed.refresh_token ?? previous?.refreshToken,
    expiresAt: expiresAtFromSeconds(now, parsed.expires_in),
    scopes: parsed.scope ? parsed.scope.split(scopeSeparator).filter(Boolean) : previous?.scopes,
    extra: previous?.extra,
  };
}
