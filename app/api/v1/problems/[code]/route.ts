// GET /api/v1/problems/{code}: what a problem `type` (lib/http/problem.ts) refers to. Public: it
// describes the error code table, nothing of any workspace.
import { ERROR_CODES, isErrorCode } from '@/lib/http/error-codes';
import { problemBody, problemResponse, problemType } from '@/lib/http/problem';

export async function GET(_request: Request, context: { params: Promise<{ code: string }> }) {
  const { code } = await context.params;
  if (!isErrorCode(code)) return problemResponse(problemBody('not_found', 'There is no such problem type.'));
  const { status, title } = ERROR_CODES[code];
  return Response.json({ type: problemType(code), code, status, title }, { headers: { 'cache-control': 'public, max-age=3600' } });
}
