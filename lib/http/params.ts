import { z } from 'zod';

const id = (what: string) => z.uuid({ error: `${what} must be a valid id` });

export const workspaceParams = z.object({ workspaceId: id('workspaceId') });
export const memberParams = workspaceParams.extend({ userId: id('userId') });
export const invitationParams = workspaceParams.extend({ invitationId: id('invitationId') });
export const connectionParams = workspaceParams.extend({ connectionId: id('connectionId') });
export const providerParams = z.object({
  provider: z.string().regex(/^[a-z0-9-]{1,40}$/, { error: 'provider must be a provider id from the catalog' }),
});
export const runParams = workspaceParams.extend({ runId: id('runId') });
export const mappingParams = connectionParams.extend({
  resource: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, { error: 'resource must be a resource id such as contacts' }),
});

/** The page and page size of a listing's query string (lastPage bounds how deep one may go). */
export function pagingQuery(lastPage = 10_000) {
  return {
    page: z.coerce.number({ error: 'page must be a number' }).int().min(1).max(lastPage).default(1),
    pageSize: z.coerce.number({ error: 'pageSize must be a number' }).int().min(1).max(100).default(25),
  };
}
