import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken, verifySessionToken } from '@/lib/auth/session-token';

beforeAll(() => {
  process.env.SESSION_SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
});

const user = { userId: '6f1c2f6e-6a4b-4a55-9a43-4a2b3a4c5d6e', email: 'ada@example.test' };

describe('session token', () => {
  it('round-trips the user', async () => {
    expect(await verifySessionToken(await signSessionToken(user))).toEqual(user);
  });

  it('rejects a token whose payload was altered', async () => {
    const [header, , signature] = (await signSessionToken(user)).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'someone-else', email: 'x@y.z', iss: 'integration-hub' })).toString(
      'base64url',
    );
    expect(await verifySessionToken(`${header}.${forged}.${signature}`)).toBeNull();
  });

  it('rejects an expired token', async () => {
    const weekAndADayAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    expect(await verifySessionToken(await signSessionToken(user, weekAndADayAgo))).toBeNull();
  });

  it('rejects a token signed with another secret or algorithm "none"', async () => {
    const other = await new SignJWT({ email: user.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.userId)
      .setIssuer('integration-hub')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123456789'));
    expect(await verifySessionToken(other)).toBeNull();
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: user.userId, email: user.email, iss: 'integration-hub' }),
    ).toString('base64url')}.`;
    expect(await verifySessionToken(unsigned)).toBeNull();
    expect(await verifySessionToken('garbage')).toBeNull();
  });
});
