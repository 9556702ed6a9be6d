// Where a connection keeps what the admin chose among what its provider offers
// (ProviderDefinition.selection: GitHub repositories): `settings.selection`, a list of the
// provider's ids. Read here and nowhere else, so the shape lives in one place.
import { z } from 'zod';
import type { Connection } from '../db/schema';

const stored = z.array(z.string().min(1).max(300)).max(1000);

/** The chosen ids; empty when nothing was chosen (or the stored value is not a list of ids). */
export function selectionOf(connection: Pick<Connection, 'settings'>): string[] {
  const parsed = stored.safeParse(connection.settings?.selection);
  return parsed.success ? parsed.data : [];
}
