// What the /api/v1 read routes answer, for a principal's workspace. Service path (an API key has
// no user to run RLS as): every query names the principal's workspace, so a key of workspace A
// finds nothing of B (404, never 403: it does not learn that the id exists).
import { and, asc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { connections, syncedRecords } from '../db/schema';
import { environmentOf } from '../connections/provider-access';
import { HttpError } from '../http/errors';
import { findProvider } from '../providers/registry';
import type { ProviderDefinition } from '../providers/types';
import { queryActionLogs, type ActionLogQuery } from './log';
import type { ApiPrincipal } from './principal';
import { ACTION_NAMES, ACTIONS, scopeOf, type ActionName } from './schemas';

export interface SupportedAction {
  name: ActionName;
  title: string;
  description: string;
  write: boolean;
  scope: 'actions:read' | 'actions:write';
}

/** The actions a provider implements, in registry order (one registry feeds every surface). */
export function supportedActions(provider: ProviderDefinition | undefined): SupportedAction[] {
  if (!provider?.actions) return [];
  return ACTION_NAMES.filter((name) => typeof provider.actions?.[name] === 'function').map((name) => ({
    name,
    title: ACTIONS[name].title,
    description: ACTIONS[name].description,
    write: ACTIONS[name].write,
    scope: scopeOf(name),
  }));
}

export async function listApiConnections(db: Db, principal: ApiPrincipal) {
  const rows = await asService(db, (tx) =>
    tx
      .select()
      .from(connections)
      .where(eq(connections.workspaceId, principal.workspaceId))
      .orderBy(asc(connections.displayName), asc(connections.createdAt)),
  );
  return {
    data: rows.map((connection) => {
      const provider = findProvider(connection.provider);
      return {
        id: connection.id,
        provider: connection.provider,
        providerName: provider?.name ?? connection.provider,
        displayName: connection.displayName,
        status: connection.status,
        accountLabel: connection.accountLabel,
        environment: environmentOf(connection),
        resources: connection.resources,
        actions: supportedActions(provider),
      };
    }),
  };
}

/** The connection, if it is the principal workspace's (else 404). */
export async function apiConnection(db: Db, principal: ApiPrincipal, connectionId: string) {
  const [connection] = await asService(db, (tx) =>
    tx
      .select()
      .from(connections)
      .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, principal.workspaceId))),
  );
  if (!connection) throw new HttpError('not_found', 'That connection does not exist in this workspace.');
  return connection;
}

export const apiRecordsQuerySchema = z.object({
  resource: z.string({ error: 'resource is required, e.g. ?resource=contacts' }).regex(/^[a-z][a-z0-9_]{0,40}$/, {
    error: 'resource must be a resource id such as contacts',
  }),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(100).default(50),
  cursor: z.string().max(1_000).optional(),
  deleted: z.enum(['exclude', 'include'], { error: 'deleted must be exclude or include' }).default('exclude'),
  include: z.enum(['raw'], { error: 'include may be raw' }).optional(),
});
export type ApiRecordsQuery = z.infer<typeof apiRecordsQuerySchema>;

function decodeRecordCursor(cursor: string): string {
  const externalId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!externalId || Buffer.from(externalId, 'utf8').toString('base64url') !== cursor) {
    throw new HttpError('validation_failed', 'cursor is not one this API gave out; start again without it.', [{ pointer: '/cursor', detail: 'unknown cursor' }]);
  }
  return externalId;
}

/**
 * A connection's stored records of one resource with their mapped output, in external-id order
 * (keyset paging on the records' unique index, so every page costs the same).
 */
export async function listApiRecords(db: Db, principal: ApiPrincipal, connectionId: string, query: ApiRecordsQuery) {
  const connection = await apiConnection(db, principal, connectionId);
  const filters: SQL[] = [
    eq(syncedRecords.workspaceId, principal.workspaceId),
    eq(syncedRecords.connectionId, connection.id),
    eq(syncedRecords.resource, query.resource),
  ];
  if (query.deleted === 'exclude') filters.push(isNull(syncedRecords.deletedAt));
  if (query.cursor) filters.push(gt(syncedRecords.externalId, decodeRecordCursor(query.cursor)));
  const rows = await asService(db, (tx) =>
    tx
      .select({
        externalId: syncedRecords.externalId,
        mapped: syncedRecords.mapped,
        mappingErrors: syncedRecords.mappingErrors,
        mappingVersion: syncedRecords.mappingVersion,
        raw: query.include === 'raw' ? syncedRecords.raw : sql<null>`null`,
        firstSeenAt: syncedRecords.firstSeenAt,
        updatedAt: syncedRecords.updatedAt,
        deletedAt: syncedRecords.deletedAt,
      })
      .from(syncedRecords)
      .where(and(...filters))
      .orderBy(asc(syncedRecords.externalId))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  return {
    connectionId: connection.id,
    resource: query.resource,
    data: page.map(({ raw, ...record }) => ({ ...record, ...(query.include === 'raw' ? { raw } : {}), deleted: record.deletedAt !== null })),
    nextCursor: rows.length > query.limit ? Buffer.from(page.at(-1)!.externalId, 'utf8').toString('base64url') : null,
  };
}

export async function listApiActionLogs(db: Db, principal: ApiPrincipal, query: ActionLogQuery) {
  return asService(db, (tx) => queryActionLogs(tx, principal.workspaceId, query));
}
