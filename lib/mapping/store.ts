// Mappings as stored: one active version per connection and resource. The sync engine and the
// re-apply job read the active version through here, compiled once per version.
import { and, eq } from 'drizzle-orm';
import type { Queryable, Tx } from '../db/engine';
import { fieldMappings } from '../db/schema';
import { findProvider } from '../providers/registry';
import { compileMapping, type CompiledMapping } from './interpreter';
import type { MappingDefinition } from './language';

export interface ActiveMapping {
  id: string;
  version: number;
  compiled: CompiledMapping;
}

// Versions never change once saved, so a compiled mapping can be kept by its row id.
const compiledById = new Map<string, CompiledMapping>();
const COMPILED_CACHE_SIZE = 200;

export function compiledFor(id: string, definition: unknown): CompiledMapping {
  let compiled = compiledById.get(id);
  if (!compiled) {
    compiled = compileMapping(definition as MappingDefinition);
    if (compiledById.size >= COMPILED_CACHE_SIZE) compiledById.delete(compiledById.keys().next().value as string);
    compiledById.set(id, compiled);
  }
  return compiled;
}

export interface MappingScope {
  workspaceId: string;
  connectionId: string;
  resource: string;
}

/**
 * The active mapping of a connection's resource, or null when it has none. Always looked up
 * within the workspace: the service path has no RLS, so a connection id alone must never decide.
 */
export async function activeMapping(tx: Queryable, scope: MappingScope): Promise<ActiveMapping | null> {
  const [row] = await tx
    .select({ id: fieldMappings.id, version: fieldMappings.version, definition: fieldMappings.definition })
    .from(fieldMappings)
    .where(
      and(
        eq(fieldMappings.workspaceId, scope.workspaceId),
        eq(fieldMappings.connectionId, scope.connectionId),
        eq(fieldMappings.resource, scope.resource),
        eq(fieldMappings.isActive, true),
      ),
    );
  return row ? { id: row.id, version: row.version, compiled: compiledFor(row.id, row.definition) } : null;
}

/** On connect: each resource without a mapping gets the provider's default as version 1. */
export async function installDefaultMappings(
  tx: Tx,
  connection: { workspaceId: string; connectionId: string; provider: string; createdBy: string | null },
): Promise<void> {
  const defaults = findProvider(connection.provider)?.defaultMappings ?? {};
  for (const [resource, definition] of Object.entries(defaults)) {
    await tx
      .insert(fieldMappings)
      .values({
        workspaceId: connection.workspaceId,
        connectionId: connection.connectionId,
        resource,
        targetModel: definition.model,
        version: 1,
        definition,
        isActive: true,
        createdBy: connection.createdBy,
      })
      .onConflictDoNothing();
  }
}
