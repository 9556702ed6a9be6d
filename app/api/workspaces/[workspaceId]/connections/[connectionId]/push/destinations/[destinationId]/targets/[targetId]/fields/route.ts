import { handler } from '@/lib/http/handler';
import { listTargetFields, targetFieldsParams } from '@/lib/push/pushes';

export const GET = handler({ params: targetFieldsParams }, async ({ params, user, db }) => ({
  fields: await listTargetFields(db, user, params),
}));
