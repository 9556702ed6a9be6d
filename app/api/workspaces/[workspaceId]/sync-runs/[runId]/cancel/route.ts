import { handler } from '@/lib/http/handler';
import { runParams } from '@/lib/http/params';
import { cancelRun } from '@/lib/sync/actions';

export const POST = handler({ params: runParams }, async ({ params, user, db }) => cancelRun(db, user, params.workspaceId, params.runId));
