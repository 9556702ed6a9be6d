// The notification mail job on Inngest: hourly, and whenever lib/jobs/notifications.ts asks. The
// domain function decides who is due (one digest per member per day), so the hour does not matter.
import type { Db } from '../db/engine';
import { runNotificationMail } from '../notifications/digest';
import { inngest } from './client';

export const NOTIFICATION_EVENTS = {
  mailRequested: 'hub/notifications.mail-requested',
} as const;

export function createNotificationFunctions(getDb: () => Promise<Db>) {
  const sendNotificationMail = inngest.createFunction(
    {
      id: 'send-notification-digests',
      triggers: [{ cron: '5 * * * *' }, { event: NOTIFICATION_EVENTS.mailRequested }],
      concurrency: { limit: 1 },
      retries: 3,
    },
    async ({ step }) => step.run('send-digests', async () => runNotificationMail(await getDb())),
  );
  return { sendNotificationMail };
}
