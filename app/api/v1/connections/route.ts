// GET /api/v1/connections: the workspace's connections and the actions each supports.
import { apiRoute } from '@/lib/actions/api';
import { listApiConnections } from '@/lib/actions/api-resources';

export const GET = apiRoute({ scope: 'any' }, ({ db, principal }) => listApiConnections(db, principal));
