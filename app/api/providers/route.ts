import { handler } from '@/lib/http/handler';
import { catalog } from '@/lib/providers/catalog';

export const GET = handler({}, async () => ({ providers: catalog() }));
