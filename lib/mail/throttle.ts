// Caps how often anyone can make the app write to one inbox (resends, sign-up notices).
import { and, count, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { mailThrottle } from '../db/schema';

/** Takes one of `limit` slots per window for `key`; false when they are all taken. */
export async function takeMailSlot(db: Db, key: string, limit: number, windowMinutes: number, now = new Date()): Promise<boolean> {
  return asService(db, async (tx) => {
    const since = new Date(now.getTime() - windowMinutes * 60_000);
    const [{ used }] = await tx
      .select({ used: count() })
      .from(mailThrottle)
      .where(and(eq(mailThrottle.key, key), gt(mailThrottle.sentAt, since)));
    if (used >= limit) return false;
    await tx.insert(mailThrottle).values({ key, sentAt: now });
    return true;
  });
}
