// A connection's selection: what the admin chose among what its provider offers
// (ProviderDefinition.selection — GitHub repositories). Reading lists the options live from the
// provider with what is chosen; choosing stores the ids in the connection's settings, narrows and
// widens its push channels to match (webhooks on exactly the chosen targets) and asks for a sync:
// incremental when the choice only grew (new targets have no cursor yet and are listed in full),
// full when something was dropped (so its records go by absence). Names no provider.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import { recordActivity } from '../activity/activity';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connections } from '../db/schema';
import { HttpError } from '../http/errors';
import { findProvider } from '../providers/registry';
import type { ProviderSelection, SelectionOption } from '../providers/types';
import { startSync } from '../sync/jobs';
import { openMissingChannels, stopUnwantedChannels } from '../webhooks/channels';
import { findConnection } from './connections';
import { describeFailure } from './failures';
import { withProviderClient } from './provider-access';
import { selectionOf } from './selection-settings';

export interface SelectionView {
  label: string;
  description: string;
  max: number;
  chosen: string[];
  options: SelectionOption[];
}

export const selectionChangeSchema = z.object({
  chosen: z.array(z.string().trim().min(1).max(300)).max(1000, { error: 'Too many items chosen' }),
});

function selectionFor(providerId: string): ProviderSelection {
  const selection = findProvider(providerId)?.selection;
  if (!selection) throw new HttpError('not_found', 'This connection offers nothing to choose.');
  return selection;
}

async function liveOptions(db: Db, connectionId: string, selection: ProviderSelection): Promise<SelectionOption[]> {
  try {
    return await withProviderClient(db, connectionId, (client) => selection.options(client));
  } catch (error) {
    throw new HttpError('provider_error', `Could not read the ${selection.label} from the provider: ${describeFailure(error)}`);
  }
}

export async function getSelection(db: Db, user: SessionUser, workspaceId: string, connectionId: string): Promise<SelectionView> {
  const connection = await findConnection(db, user, workspaceId, connectionId, 'viewer');
  const selection = selectionFor(connection.provider);
  if (connection.status === 'disconnected') throw new HttpError('conflict', 'This connection is disconnected: reconnect it first.');
  const options = await liveOptions(db, connectionId, selection);
  return { label: selection.label, description: selection.description, max: selection.max, chosen: selectionOf(connection), options };
}

export async function chooseSelection(
  db: Db,
  user: SessionUser,
  workspaceId: string,
  connectionId: string,
  change: z.infer<typeof selectionChangeSchema>,
): Promise<SelectionView> {
  const connection = await findConnection(db, user, workspaceId, connectionId, 'admin');
  const selection = selectionFor(connection.provider);
  if (connection.status === 'disconnected') throw new HttpError('conflict', 'This connection is disconnected: reconnect it first.');
  const chosen = [...new Set(change.chosen)];
  if (chosen.length > selection.max) throw new HttpError('validation_failed', `Choose at most ${selection.max} ${selection.label}.`);
  // Only what the account can see may be chosen: the ids end up in provider URLs.
  const options = await liveOptions(db, connectionId, selection);
  const offered = new Set(options.map((option) => option.id));
  const unknown = chosen.filter((id) => !offered.has(id));
  if (unknown.length > 0) throw new HttpError('validation_failed', `Not among the ${selection.label} this account can see: ${unknown.slice(0, 5).join(', ')}`);
  const before = selectionOf(connection);
  // Settings are not a column members may write; the admin check above (findConnection) stands for it.
  await asService(db, (tx) =>
    tx
      .update(connections)
      .set({ settings: sql`${connections.settings} || ${JSON.stringify({ selection: chosen })}::jsonb` })
      .where(eq(connections.id, connectionId)),
  );
  const added = chosen.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !chosen.includes(id));
  await asService(db, (tx) =>
    recordActivity(tx, {
      workspaceId,
      actorId: user.userId,
      actorEmail: user.email,
      action: 'connection.selection_changed',
      targetType: 'connection',
      targetId: connectionId,
      details: { provider: connection.provider, account: connection.accountLabel, added: added.length, removed: removed.length },
    }),
  );
  if (connection.status !== 'paused' && (added.length > 0 || removed.length > 0)) {
    await stopUnwantedChannels(db, connectionId);
    await openMissingChannels(db, connectionId);
    await startSync(db, { workspaceId, connectionId, provider: connection.provider, trigger: 'manual', mode: removed.length > 0 ? 'full' : 'incremental', requestedBy: user.userId });
  }
  return { label: selection.label, description: selection.description, max: selection.max, chosen, options };
}
