import { handler } from '@/lib/http/handler';
import { readJson } from '@/lib/http/route';
import { previewPush, pushConnectionParams } from '@/lib/push/pushes';
import { pushConfigInputSchema } from '@/lib/push/schemas';

export const POST = handler({ params: pushConnectionParams }, async ({ request, params, user, db }) =>
  previewPush(db, user, params, await readJson(request, pushConfigInputSchema)),
);
