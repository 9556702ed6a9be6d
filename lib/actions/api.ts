// The /api/v1 route wrapper as the app runs it: the app's database, the session seam, and one
// rate limiter per process. Tests build their own with createApiRoute (api-route.ts).
import { getSession } from '../auth/session';
import { getDb } from '../db/app-database';
import { createApiRoute } from './api-route';
import { ApiRateLimiter } from './rate-limit';

export const apiLimiter = new ApiRateLimiter();

export const apiRoute = createApiRoute({ db: getDb, session: getSession, limiter: apiLimiter });

export { ApiReply, readActionInput } from './api-route';
