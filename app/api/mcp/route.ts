// POST /api/mcp: the Model Context Protocol endpoint (Streamable HTTP, stateless). The actions as
// tools, authenticated with workspace API keys and their scopes (lib/actions/mcp.ts).
import { apiLimiter } from '@/lib/actions/api';
import { createMcpHandler } from '@/lib/actions/mcp';
import { getDb } from '@/lib/db/app-database';

const handle = createMcpHandler({ db: getDb, limiter: apiLimiter });

export const POST = handle;
export const GET = handle;
export const DELETE = handle;
