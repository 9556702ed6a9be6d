// Health checks on Inngest: one per requested connection, debounced so a burst of sync ends or
// rejected deliveries costs one check; and a cron sweep that fans out a check per connection.
import type { Db } from '../db/engine';
import { checkConnectionHealth, connectionsToSweep } from '../health/check';
import { HEALTH_EVENTS, inngest, type HealthCheckData } from './client';

export function createHealthFunctions(getDb: () => Promise<Db>) {
  const checkConnection = inngest.createFunction(
    {
      id: 'check-connection-health',
      triggers: [{ event: HEALTH_EVENTS.checkRequested }],
      debounce: { key: 'event.data.connectionId', period: '10s', timeout: '1m' },
      concurrency: { key: 'event.data.connectionId', limit: 1 },
      retries: 3,
    },
    async ({ event, step }) => {
      const { connectionId } = event.data as HealthCheckData;
      const outcome = await step.run('check', async () => {
        const result = await checkConnectionHealth(await getDb(), connectionId);
        return result && { opened: result.opened.length, redetected: result.redetected.length, resolved: result.resolved.length };
      });
      return { connectionId, outcome };
    },
  );

  const sweepHealth = inngest.createFunction({ id: 'sweep-connection-health', triggers: [{ cron: '*/5 * * * *' }] }, async ({ step }) => {
    const ids = await step.run('list-connections', async () => connectionsToSweep(await getDb()));
    if (ids.length > 0) await step.sendEvent('check-each', ids.map((connectionId) => ({ name: HEALTH_EVENTS.checkRequested, data: { connectionId } })));
    return { requested: ids.length };
  });

  return { checkConnection, sweepHealth };
}
