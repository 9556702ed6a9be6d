// Verifying an OpenID Connect ID token a sender puts in `Authorization: Bearer` (Cloud Pub/Sub push
// and other push services sign each request this way): the signature against the issuer's
// published key set (JWKS, fetched by jose and cached per URL, refetched when an unknown key id
// appears), the issuer, the audience, the expiry against an injectable clock, and the identity the
// token names (`email`, which the issuer must mark verified). It names no provider: the caller
// says whose keys, which issuers and which identity to expect.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { fail, OK, type VerifyResult } from './verify';

export interface OidcExpectation {
  /** The issuer's JWKS URL. */
  jwksUrl: string;
  /** Accepted `iss` values (Google writes both `accounts.google.com` and `https://accounts.google.com`). */
  issuers: readonly string[];
  /** The `aud` we configured at the sender (a push subscription's audience). */
  audience: string;
  /** The sender's identity (`email` claim), which must also be `email_verified`. */
  email: string;
  /** Signature algorithms accepted; never `none`, never a symmetric one a public key could forge. */
  algorithms?: readonly string[];
  now: Date;
}

/** How far the sender's clock may run ahead of ours. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Key sets by URL: jose caches the keys and rate-limits refetches for an unknown `kid`. */
const keySets = new Map<string, JWTVerifyGetKey>();

function keySetFor(url: string): JWTVerifyGetKey {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 60 * 60 * 1000 });
    keySets.set(url, keys);
  }
  return keys;
}

/** The bearer token of an Authorization header, or null. */
export function bearerTokenOf(headers: Headers): string | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match ? match[1] : null;
}

/** Thrown when the key set cannot be fetched: not the sender's fault, so it should retry. */
export class KeySetUnavailableError extends Error {
  constructor(reason: string) {
    super(`the signing keys could not be fetched: ${reason}`);
    this.name = 'KeySetUnavailableError';
  }
}

/**
 * Verifies the token; resolves a failure with a reason that names what was wrong (never the token
 * or a claim value beyond what we expected), and throws KeySetUnavailableError when the keys could
 * not be fetched at all.
 */
export async function verifyOidcToken(token: string | null, expected: OidcExpectation): Promise<VerifyResult> {
  if (!token) return fail('missing Authorization: Bearer token');
  if (!(expected.now instanceof Date) || Number.isNaN(expected.now.getTime())) return fail('no valid clock reading was given');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keySetFor(expected.jwksUrl), {
      issuer: [...expected.issuers],
      audience: expected.audience,
      algorithms: [...(expected.algorithms ?? ['RS256'])],
      currentDate: expected.now,
      requiredClaims: ['exp', 'iat', 'email'],
    }));
  } catch (error) {
    return failure(error);
  }
  // jose checks exp (and nbf when present) but accepts any iat: a token issued in the future is not valid yet.
  if (typeof payload.iat === 'number' && payload.iat * 1000 > expected.now.getTime() + MAX_CLOCK_SKEW_MS) return fail('the token is not valid yet');
  if (payload.email !== expected.email) return fail('the token was issued to another service account');
  if (payload.email_verified !== true) return fail('the token\'s email is not verified');
  return OK;
}

function failure(error: unknown): VerifyResult {
  if (error instanceof errors.JWTExpired) return fail('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return fail('the token has the wrong issuer');
    if (error.claim === 'aud') return fail('the token has the wrong audience');
    if (error.claim === 'iat' || error.claim === 'nbf') return fail('the token is not valid yet');
    return fail(`the token's ${error.claim} claim is missing or invalid`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return fail('the token signature does not verify');
  if (error instanceof errors.JWKSNoMatchingKey) return fail('the token was signed by a key the issuer does not publish');
  if (error instanceof errors.JOSEAlgNotAllowed) return fail('the token uses an algorithm that is not accepted');
  // A timeout, an invalid key set, or jose's generic error for a non-200 answer from the JWKS URL.
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')) {
    throw new KeySetUnavailableError(error.message);
  }
  if (error instanceof errors.JOSEError) return fail('the token is malformed');
  // A fetch that failed (network, HTTP error) surfaces as a plain Error from jose's fetcher.
  throw new KeySetUnavailableError((error as Error)?.message ?? 'unknown error');
}
