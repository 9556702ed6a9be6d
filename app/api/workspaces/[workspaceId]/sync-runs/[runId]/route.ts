import { handler } from '@/lib/http/handler';
import { runParams } from '@/lib/http/params';
import { getRun } from '@/lib/sync/history';

export const GET = handler({ params: runParams }, async ({ params, user, db }) => ({ run: await getRun(db, user, params.workspaceId, params.runId) }));
