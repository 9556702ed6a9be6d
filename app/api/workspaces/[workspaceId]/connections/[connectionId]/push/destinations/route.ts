import { handler } from '@/lib/http/handler';
import { listDestinations, pushConnectionParams } from '@/lib/push/pushes';

export const GET = handler({ params: pushConnectionParams }, async ({ params, user, db }) => ({
  destinations: await listDestinations(db, user, params),
}));
