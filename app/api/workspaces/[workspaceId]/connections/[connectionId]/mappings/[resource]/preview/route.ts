import { previewMapping, previewMappingSchema } from '@/lib/mapping/editor';
import { handler } from '@/lib/http/handler';
import { mappingParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const POST = handler({ params: mappingParams }, async ({ request, params, user, db }) =>
  previewMapping(db, user, params, (await readJson(request, previewMappingSchema)).definition),
);
