// One retention rule: which rows of one table expire, and after how long (lib/retention/rules.ts
// lists them; feature modules such as lib/actions define their own in this shape).
import type { SQL } from 'drizzle-orm';

export interface RetentionRule {
  /** Stable id: the Inngest step name and the key in the job's report. */
  name: string;
  /** What it deletes, for people reading the report. */
  description: string;
  /** How long rows are kept, read each time the job runs. */
  keepForSeconds(): number;
  /**
   * The ids of up to `limit` rows to delete, as a query on `cutoff` (a timestamptz: now minus the
   * period). Rules name their table and their condition; runRule does the batching.
   */
  expired(cutoff: SQL, limit: number): { table: SQL; ids: SQL };
}
