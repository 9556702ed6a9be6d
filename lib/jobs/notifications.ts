// Notification mail (lib/notifications/digest.ts): the daily digests and retries of immediate
// mails a failed send left behind. Inngest runs it from an hourly cron
// (lib/inngest/notification-functions.ts) or when this job's event asks; in process, the embedded
// start-up schedules it (startEmbeddedNotificationMail) and dispatch runs it here, one pass at a time.
import type { Db } from '../db/engine';
import { inngest } from '../inngest/client';
import { NOTIFICATION_EVENTS } from '../inngest/notification-functions';
import { runNotificationMail, type DigestReport } from '../notifications/digest';
import { dispatch, type Job } from './dispatch';

/** Hourly: a digest is due once per day per member, at or after the digest hour (digest.ts). */
export const NOTIFICATION_MAIL_EVERY_MS = 60 * 60 * 1000;
const FIRST_RUN_AFTER_MS = 90_000;

const runningKey = Symbol.for('integration-hub.notification-mail');
type Holder = { [runningKey]?: { running: Promise<DigestReport | null> | null; timers?: NodeJS.Timeout[] } };

function state() {
  const holder = globalThis as Holder;
  return (holder[runningKey] ??= { running: null });
}

/** Runs a pass in this process; a pass already running is joined, not repeated. */
export function sendNotificationMailInProcess(db: Db): Promise<DigestReport | null> {
  const s = state();
  s.running ??= runNotificationMail(db)
    .catch((error: unknown) => {
      console.error('notification mail failed:', (error as Error).message);
      return null;
    })
    .finally(() => {
      s.running = null;
    });
  return s.running;
}

export function notificationMailRequested(): Job {
  return {
    name: 'notification mail',
    async toInngest() {
      await inngest.send({ name: NOTIFICATION_EVENTS.mailRequested, data: {} });
    },
    inProcess: (db) => void sendNotificationMailInProcess(db),
  };
}

export function startEmbeddedNotificationMail(db: Db): void {
  const s = state();
  if (s.timers) return;
  const tick = () =>
    void dispatch(db, notificationMailRequested()).catch((error: unknown) =>
      console.error('notification mail not started:', (error as Error).message),
    );
  s.timers = [setTimeout(tick, FIRST_RUN_AFTER_MS), setInterval(tick, NOTIFICATION_MAIL_EVERY_MS)];
  for (const timer of s.timers) timer.unref();
}
