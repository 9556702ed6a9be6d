// The retention job on Inngest: daily, and whenever lib/jobs/retention.ts asks. One step per rule
// (lib/retention), so a rule that fails is retried alone and the others' deletions stand.
import type { Db } from '../db/engine';
import { RETENTION_RULES, runRule } from '../retention/rules';
import { inngest, RETENTION_EVENTS } from './client';

export function createRetentionFunctions(getDb: () => Promise<Db>) {
  const pruneExpiredRows = inngest.createFunction(
    {
      id: 'prune-expired-rows',
      triggers: [{ cron: '23 3 * * *' }, { event: RETENTION_EVENTS.requested }],
      concurrency: { limit: 1 },
      retries: 3,
    },
    async ({ step }) => {
      const deleted: Record<string, number> = {};
      for (const rule of RETENTION_RULES) {
        deleted[rule.name] = await step.run(`prune-${rule.name}`, async () => runRule(await getDb(), rule));
      }
      return { deleted };
    },
  );
  return { pruneExpiredRows };
}
