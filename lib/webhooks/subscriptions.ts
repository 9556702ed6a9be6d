// What the app registers at a provider when a connection is made, and stops when it goes: push
// channels for providers whose deliveries are channels (channels.ts). App-signed subscriptions
// belong to the app, not to a connection (set up once in the provider's developer dashboard, see
// README): nothing to do here. Neither hook ever fails the connect or disconnect it belongs to.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connections } from '../db/schema';
import { channelsOf, openMissingChannels, stopConnectionChannels } from './channels';
import { forgetRoutes } from './store';

async function providerOf(db: Db, connectionId: string): Promise<string | null> {
  const [row] = await asService(db, (tx) => tx.select({ provider: connections.provider }).from(connections).where(eq(connections.id, connectionId)));
  return row?.provider ?? null;
}

export async function subscribeWebhooks(db: Db, connectionId: string): Promise<void> {
  forgetRoutes(db);
  try {
    const provider = await providerOf(db, connectionId);
    if (provider && channelsOf(provider)) await openMissingChannels(db, connectionId);
  } catch (error) {
    console.warn(`webhook subscriptions for connection ${connectionId} not registered: ${(error as Error).message}`);
  }
}

export async function unsubscribeWebhooks(db: Db, connectionId: string): Promise<void> {
  forgetRoutes(db);
  try {
    await stopConnectionChannels(db, connectionId);
  } catch (error) {
    console.warn(`webhook subscriptions for connection ${connectionId} not stopped: ${(error as Error).message}`);
  }
}
