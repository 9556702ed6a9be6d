// GET /api/v1/openapi.json: the OpenAPI 3.1 document of the public API, generated from the action
// registry's zod schemas (lib/actions/openapi.ts). Public: it describes the API, nothing of any workspace.
import { openApiDocument } from '@/lib/actions/openapi';

export function GET() {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
