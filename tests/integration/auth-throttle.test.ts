// Issue 12, finding 7 over the app's own route handlers: forwarded addresses count only from
// configured proxies; a stranger's failures lock out neither the victim's address nor the
// victim's browser; sign-up is limited per address; a burst beyond the hashing gate is refused
// (503) instead of queued; hashing leaves the event loop free; stored hashes stay pgcrypto's.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '@/lib/db/engine';
import { asService } from '@/lib/db/rls';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database';
import { Browser, send, useDb } from './auth-browser';

vi.mock('next/headers', () => import('./auth-browser').then((m) => m.nextHeadersMock));
vi.mock('@/lib/db/app-database', () => import('./auth-browser').then((m) => m.appDatabaseMock));

process.env.SESSION_SECRET ??= 'a test session secret of at least thirty-two characters';

const { POST: signInRoute } = await import('@/app/api/auth/sign-in/route');
const { POST: signUpRoute } = await import('@/app/api/auth/sign-up/route');
const { POST: signOutRoute } = await import('@/app/api/auth/sign-out/route');
const { GET: sessionsRoute } = await import('@/app/api/me/sessions/route');
const { createLocalAccount, LOGIN_LIMIT, SIGN_UP_LIMIT, verifyLocalAccount } = await import('@/lib/auth/local-accounts');
const { PasswordHasher, setPasswordHasher } = await import('@/lib/auth/password-hashing');

const PASSWORD = 'the victim password 1';
let database: TestDatabase;
const savedProxies = process.env.TRUSTED_PROXIES;

beforeAll(async () => {
  database = await createTestDatabase();
  useDb(database.db);
});
afterAll(() => database.drop());
afterEach(() => {
  if (savedProxies === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = savedProxies;
});

let counter = 0;
const unique = (label: string) => `${label}-${++counter}-${Date.now()}@example.test`;

async function account(label: string) {
  const email = unique(label);
  await createLocalAccount(database.db, { email, password: PASSWORD });
  return email;
}

const signIn = (browser: Browser, email: string, password: string) => send(browser, signInRoute, '/api/auth/sign-in', { body: { email, password } });
const codeOf = async (response: Response) => ((await response.clone().json()) as { code?: string }).code;

async function failTimes(browser: Browser, email: string, times: number) {
  for (let i = 0; i < times; i++) expect((await signIn(browser, email, `wrong guess ${i}`)).status).toBe(401);
}

describe(`sign-in and sign-up limits (${testEngine})`, () => {
  it('ignores X-Forwarded-For without TRUSTED_PROXIES: no address is recorded, and a changed header buys no fresh allowance', async () => {
    delete process.env.TRUSTED_PROXIES;
    const victim = await account('direct');
    const forger = (i: number) => new Browser(`198.51.100.${i}`);
    for (let i = 0; i < LOGIN_LIMIT.attempts; i++) expect((await signIn(forger(i), victim, `guess ${i}`)).status).toBe(401);
    const refused = await signIn(forger(99), victim, 'one more guess');
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe('rate_limited');

    const owner = await account('direct-owner');
    const browser = new Browser('203.0.113.50');
    expect((await signIn(browser, owner, PASSWORD)).status).toBe(200);
    const listed = (await (await send(browser, sessionsRoute, '/api/me/sessions')).json()) as { sessions: { ipAddress: string | null }[] };
    expect(listed.sessions.map((s) => s.ipAddress)).toEqual([null]);
  });

  it("behind a trusted proxy, a stranger's failures for victim@ (even with the victim's address forged in front) do not lock the victim's address", async () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8';
    const victim = await account('victim');
    // The attacker (203.0.113.66) prepends the victim's address; the proxy appends the one it saw.
    const attacker = new Browser('198.51.100.7, 203.0.113.66');
    await failTimes(attacker, victim, LOGIN_LIMIT.attempts);
    const locked = await signIn(attacker, victim, PASSWORD);
    expect(locked.status).toBe(429);
    expect(await codeOf(locked)).toBe('rate_limited');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMIT.windowMinutes * 60);

    const victimsBrowser = new Browser('198.51.100.7');
    expect((await signIn(victimsBrowser, victim, PASSWORD)).status).toBe(200);
    const listed = (await (await send(victimsBrowser, sessionsRoute, '/api/me/sessions')).json()) as { sessions: { ipAddress: string | null }[] };
    expect(listed.sessions.map((s) => s.ipAddress)).toEqual(['198.51.100.7']);
  });

  it('limits one address spraying many emails, without touching other addresses', async () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8';
    const sprayer = new Browser('203.0.113.77, 10.0.0.2');
    for (let i = 0; i < LOGIN_LIMIT.perAddress; i++) expect((await signIn(sprayer, unique('spray'), 'a guess')).status).toBe(401);
    const someone = await account('someone');
    expect((await signIn(sprayer, someone, PASSWORD)).status).toBe(429);
    expect((await signIn(new Browser('203.0.113.78, 10.0.0.2'), someone, PASSWORD)).status).toBe(200);
  });

  it("without a trusted proxy, the victim's own browser (device cookie) still signs in while strangers are locked out", async () => {
    delete process.env.TRUSTED_PROXIES;
    const victim = await account('device');
    const victimsBrowser = new Browser();
    expect((await signIn(victimsBrowser, victim, PASSWORD)).status).toBe(200);
    expect(victimsBrowser.cookies.get('ih_device')).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect((await send(victimsBrowser, signOutRoute, '/api/auth/sign-out', { method: 'POST' })).status).toBe(200);

    const stranger = new Browser();
    await failTimes(stranger, victim, LOGIN_LIMIT.attempts);
    expect((await signIn(stranger, victim, PASSWORD)).status).toBe(429);
    // A device cookie is bound to its email: one for another account, or a forged one, does not help.
    const other = await account('other');
    const othersBrowser = new Browser();
    expect((await signIn(othersBrowser, other, PASSWORD)).status).toBe(200);
    expect((await signIn(othersBrowser, victim, PASSWORD)).status).toBe(429);
    const forged = new Browser();
    forged.cookies.set('ih_device', `${'A'.repeat(22)}.${'B'.repeat(43)}`);
    expect((await signIn(forged, victim, PASSWORD)).status).toBe(429);

    expect((await signIn(victimsBrowser, victim, PASSWORD)).status).toBe(200);
    // The recognised browser has its own allowance, not an unlimited one.
    await failTimes(victimsBrowser, victim, LOGIN_LIMIT.attempts);
    expect((await signIn(victimsBrowser, victim, PASSWORD)).status).toBe(429);
  });

  it('limits sign-ups per client address (429 with Retry-After), other addresses unaffected', async () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8';
    const signUp = (browser: Browser) =>
      send(browser, signUpRoute, '/api/auth/sign-up', { body: { email: unique('signup'), password: 'a long enough password' } });
    const busy = new Browser('192.0.2.10');
    for (let i = 0; i < SIGN_UP_LIMIT.perAddress; i++) expect((await signUp(busy)).status).toBe(201);
    const refused = await signUp(busy);
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signUp(new Browser('192.0.2.11'))).status).toBe(201);

    // Without a trusted proxy every client shares one (larger) allowance.
    delete process.env.TRUSTED_PROXIES;
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_UP_LIMIT.unknownAddress; i++) statuses.push((await signUp(new Browser(`198.51.100.${i}`))).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(SIGN_UP_LIMIT.unknownAddress);
    expect(statuses.at(-1)).toBe(429);
  });

  it('refuses sign-ins beyond the hashing gate at once with 503 and Retry-After, without counting them as failures', async () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8';
    const small = new PasswordHasher({ concurrency: 1, queue: 1 });
    const previous = setPasswordHasher(small);
    try {
      const emails = Array.from({ length: 8 }, () => unique('burst'));
      const browser = new Browser('192.0.2.99');
      const answers = await Promise.all(emails.map((email) => signIn(browser, email, 'a guess')));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 503 || s === 401)).toBe(true);
      for (const answer of answers.filter((a) => a.status === 503)) {
        expect(await codeOf(answer)).toBe('unavailable');
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      const [{ counted }] = await asService(database.db, async (tx) =>
        rowsOf<{ counted: number }>(await tx.execute(sql`select count(*)::int as counted from app_private.login_attempts where key = 'sign-in-ip:192.0.2.99'`)),
      );
      expect(counted).toBe(statuses.filter((s) => s === 401).length);
    } finally {
      setPasswordHasher(previous ?? new PasswordHasher());
      await small.close();
    }
  });

  // The finding: "a dozen requests a second stall every tenant". 20 sign-ins arriving 80 ms apart
  // (12.5 a second); each costs ~100 ms of bcrypt, now on a worker thread. (The embedded database
  // runs its few milliseconds of queries per sign-in on the event loop either way.)
  it('keeps the event loop turning promptly while 20 sign-ins at a dozen a second are checked (p95 delay < 50 ms)', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, queue: 32 });
    const previous = setPasswordHasher(hasher);
    try {
      const email = await account('loop');
      await verifyLocalAccount(database.db, { email, password: PASSWORD }, 'warm-up');
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      const started = performance.now();
      histogram.enable();
      const results = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, 80 * i));
          return verifyLocalAccount(database.db, { email, password: i % 2 ? PASSWORD : 'wrong' }, `loop-${i}`);
        }),
      );
      // One more turn of the loop, so a stretch it spent blocked up to here is sampled too.
      await new Promise((resolve) => setTimeout(resolve, 25));
      histogram.disable();
      const elapsed = performance.now() - started;
      expect(results.filter(Boolean)).toHaveLength(10);
      const ms = (q: number) => histogram.percentile(q) / 1e6;
      const seen = `event-loop delay over ${elapsed.toFixed(0)} ms: ${histogram.count} samples, p95 ${ms(95).toFixed(1)} ms, p99 ${ms(99).toFixed(1)} ms`;
      // The loop kept turning (bcrypt on it, as before, leaves a handful of turns in seconds)…
      expect(histogram.count, seen).toBeGreaterThan(elapsed / 20);
      // …promptly: the bound is p95 here, as the embedded database's own queries share this loop
      // and a loaded machine stretches them (20 bare hashes: p99 < 50 ms, tests/unit/password-hashing).
      expect(ms(95), seen).toBeLessThan(50);
    } finally {
      setPasswordHasher(previous ?? new PasswordHasher());
      await hasher.close();
    }
  });

  it("keeps pgcrypto's bcrypt: crypt()-made hashes sign in, and the app's hashes verify with crypt()", async () => {
    const password = 'pässwörd ✓ with ümlauts';
    const legacy = unique('legacy');
    await asService(database.db, (tx) =>
      tx.execute(sql`insert into auth.users (email, encrypted_password) values (${legacy}, crypt(${password}, gen_salt('bf', 10)))`),
    );
    const user = await verifyLocalAccount(database.db, { email: legacy, password }, 'compat');
    expect(user?.email).toBe(legacy);
    expect(await verifyLocalAccount(database.db, { email: legacy, password: 'pässwörd ✓ with umlauts' }, 'compat')).toBeNull();

    const fresh = unique('fresh');
    await createLocalAccount(database.db, { email: fresh, password });
    const [row] = await asService(database.db, async (tx) =>
      rowsOf<{ hash: string; matches: boolean; wrong: boolean }>(
        await tx.execute(sql`select encrypted_password as hash, crypt(${password}, encrypted_password) = encrypted_password as matches,
          crypt('not it at all', encrypted_password) = encrypted_password as wrong from auth.users where email = ${fresh}`),
      ),
    );
    expect(row.hash).toMatch(/^\$2a\$10\$/);
    expect(row.matches).toBe(true);
    expect(row.wrong).toBe(false);
  });
});
