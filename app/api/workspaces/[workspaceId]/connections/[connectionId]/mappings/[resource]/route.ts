import { getMappingEditor, saveMapping, saveMappingSchema } from '@/lib/mapping/editor';
import { handler } from '@/lib/http/handler';
import { mappingParams } from '@/lib/http/params';
import { readJson } from '@/lib/http/route';

export const GET = handler({ params: mappingParams }, async ({ params, user, db }) => ({
  editor: await getMappingEditor(db, user, params),
}));

export const PUT = handler({ params: mappingParams }, async ({ request, params, user, db }) =>
  saveMapping(db, user, params, await readJson(request, saveMappingSchema)),
);
