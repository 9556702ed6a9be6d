// Microsoft Graph basics shared by the Outlook folder: the API base, the error shape and the error
// codes that say a delta state is gone.
//   Errors: https://learn.microsoft.com/graph/errors ({ error: { code, message, innerError } }).
//   Throttling: https://learn.microsoft.com/graph/throttling (429 with Retry-After).
import { z } from 'zod';
import { ProviderHttpError } from '../errors';

export const GRAPH = 'https://graph.microsoft.com/v1.0';

const graphError = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }).passthrough() });

/** "message (code)": the code stays in the sentence so callers can tell syncStateNotFound from the rest. */
export function describeGraphError(body: unknown): string | undefined {
  const parsed = graphError.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, message } = parsed.data.error;
  if (message && code) return `${message} (${code})`;
  return message ?? code;
}

/**
 * Graph's answers for a delta state it no longer has: 410 Gone (with a Location to start over), or
 * an error coded syncStateNotFound / syncStateInvalid / resyncRequired.
 * https://learn.microsoft.com/graph/delta-query-overview, and the 2020-07 note on delta link
 * lifetimes (devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-…).
 */
export function isSyncStateGone(error: unknown): boolean {
  if (!(error instanceof ProviderHttpError)) return false;
  return error.status === 410 || /\((syncStateNotFound|syncStateInvalid|resyncRequired)\)/i.test(error.providerMessage);
}

export const isStatus = (error: unknown, ...statuses: number[]) => error instanceof ProviderHttpError && statuses.includes(error.status);
