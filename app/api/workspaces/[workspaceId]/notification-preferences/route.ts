// GET: the signed-in member's own notification preferences here (the defaults when none are
// saved). PUT { minSeverity, email }: saves them. Nobody reads or sets another member's.
import { getPreferences, preferencesSchema, savePreferences } from '@/lib/notifications/preferences';
import { handler } from '@/lib/http/handler';
import { workspaceParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const GET = handler({ params: workspaceParams }, async ({ params, user, db }) => getPreferences(db, user, params.workspaceId));

export const PUT = handler({ params: workspaceParams }, async ({ request, params, user, db }) =>
  savePreferences(db, user, params.workspaceId, await readJson(request, preferencesSchema)),
);
