// Every query made on a user's behalf runs exactly as PostgREST runs it: inside a transaction,
// as role `authenticated`, with the user's JWT claims in `request.jwt.claims`. The database's
// policies then decide what the user may see and change. Background work uses `asService`.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './engine';

export interface UserClaims {
  sub: string;
  email: string;
  role?: 'authenticated';
}

export async function asUser<T>(db: Db, claims: UserClaims, work: (tx: Tx) => Promise<T>): Promise<T> {
  const jwtClaims = JSON.stringify({ sub: claims.sub, email: claims.email, role: 'authenticated', aud: 'authenticated' });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('request.jwt.claims', ${jwtClaims}, true)`);
    await tx.execute(sql`set local role authenticated`);
    return work(tx);
  });
}

/**
 * The service path: no RLS. Only for work no user drives directly (syncs, webhooks, sign-in
 * lookups), and every query inside must filter by workspace explicitly.
 */
export async function asService<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
