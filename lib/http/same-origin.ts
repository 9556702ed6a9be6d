// Session cookies are SameSite=Lax; on top of that, a write whose Origin names another site is
// refused outright (the internal routes' handler() and the public API's session path both call it).
import { forbidden } from './errors';

/** Cookies are SameSite=Lax, and this refuses a write whose Origin is another site outright. */
export function rejectCrossSiteWrite(request: Request) {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const origin = request.headers.get('origin');
  if (!origin) return;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden('Cross-site requests are not allowed.');
  }
  if (host && originHost !== host) throw forbidden('Cross-site requests are not allowed.');
}
