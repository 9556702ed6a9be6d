// Route handlers are declared through `handler()`: it rejects cross-site writes, resolves and
// validates path params, requires a session unless told otherwise, and turns every error into a
// readable JSON answer. The handler body only parses, calls lib/ and returns data.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getSession, type SessionUser } from '../auth/session';
import { getDb } from '../db/app-database';
import type { Db } from '../db/engine';
import { unauthorized } from './errors';
import { parseWith, toErrorResponse } from './route';
import { rejectCrossSiteWrite } from './same-origin';

interface Context<P, U> {
  request: Request;
  params: P;
  user: U;
  db: Db;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

type Body<P, U> = (context: Context<P, U>) => Promise<unknown>;

/** A route for signed-in users; `params` validates the dynamic path segments. */
export function handler<P extends z.ZodType = z.ZodUnknown>(
  options: { params?: P },
  body: Body<z.output<P>, SessionUser>,
) {
  return run(options.params, true, body as Body<z.output<P>, SessionUser | null>);
}

/** A route that also serves visitors without a session (sign-in, sign-up, sign-out). */
export function publicHandler(body: Body<undefined, SessionUser | null>) {
  return run(undefined, false, body as Body<unknown, SessionUser | null>);
}

function run<P extends z.ZodType>(
  paramsSchema: P | undefined,
  requireUser: boolean,
  body: Body<z.output<P>, SessionUser | null>,
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      rejectCrossSiteWrite(request);
      const params = paramsSchema ? parseWith(paramsSchema, await context.params) : undefined;
      const user = await getSession();
      if (requireUser && !user) throw unauthorized();
      const result = await body({ request, params: params as z.output<P>, user, db: await getDb() });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
