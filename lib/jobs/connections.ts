// A connection was disconnected: Inngest cancels its running sync (the sync function's cancelOn).
// In process there is nothing to do: the runner sees the connection disconnected before its next
// batch and cancels the run.
import { EVENTS, inngest } from '../inngest/client';
import type { Job } from './dispatch';

export function connectionDisconnected(connectionId: string): Job {
  return {
    name: `disconnection of ${connectionId}`,
    async toInngest() {
      await inngest.send({ name: EVENTS.connectionDisconnected, data: { connectionId } });
    },
  };
}
