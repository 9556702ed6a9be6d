// GET /api/v1/connections/{connectionId}/records?resource=contacts: stored records with their
// mapped output, keyset-paged by external id (`cursor` from the previous page's nextCursor).
import { z } from 'zod';
import { apiRoute } from '@/lib/actions/api';
import { apiRecordsQuerySchema, listApiRecords } from '@/lib/actions/api-resources';
import { readQuery } from '@/lib/http/route';

const params = z.object({ connectionId: z.uuid({ error: 'connectionId must be a connection id' }) });

export const GET = apiRoute({ scope: 'records:read', params }, ({ request, params, principal, db }) =>
  listApiRecords(db, principal, params.connectionId, readQuery(request, apiRecordsQuerySchema)),
);
