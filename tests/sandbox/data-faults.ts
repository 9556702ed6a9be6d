// Page faults for the data endpoints: the failPage and rateLimitPage knobs, consumed as pages are
// requested, and the dataRequests counter. Each provider supplies its own error shapes.
import type { Reply } from './http';
import type { Knobs, PageFaultTarget, SandboxState } from './state';

export interface FaultReplies {
  /** The provider's error answer for an injected `status`. */
  failed(status: number): Reply;
  /** The provider's 429 answer; pageGate adds the Retry-After header. */
  rateLimited(retryAfterSeconds: number): Reply;
}

function hits(target: PageFaultTarget | undefined, endpoint: string, page: number): boolean {
  return target !== undefined && `${target.provider}.${target.resource}` === endpoint && target.page === page;
}

/** One use of a fault knob; it clears itself after `times` uses. */
function consume(knobs: Knobs, name: 'failPage' | 'rateLimitPage'): void {
  const knob = knobs[name];
  if (!knob) return;
  const left = (knob.times ?? 1) - 1;
  if (left <= 0) delete knobs[name];
  else knob.times = left;
}

/**
 * Counts the page request and answers the fault due for it, if any (failPage wins over
 * rateLimitPage). Undefined means: serve the page.
 */
export function pageGate(state: SandboxState, endpoint: string, page: number, replies: FaultReplies): Reply | undefined {
  state.countDataRequest(endpoint);
  const { knobs } = state;
  const failure = knobs.failPage;
  if (failure && hits(failure, endpoint, page)) {
    consume(knobs, 'failPage');
    return replies.failed(failure.status);
  }
  const limit = knobs.rateLimitPage;
  if (limit && hits(limit, endpoint, page)) {
    consume(knobs, 'rateLimitPage');
    const reply = replies.rateLimited(limit.retryAfterSeconds);
    return { ...reply, headers: { ...reply.headers, 'retry-after': String(limit.retryAfterSeconds) } };
  }
  return undefined;
}

/**
 * The answer to a write that has committed: dropped instead (the connection closes unanswered)
 * while the provider's dropResponseAfterWrite knob has uses left, each write taking one.
 */
export function afterWrite(state: SandboxState, provider: string, reply: Reply): Reply {
  const knob = state.knobs.dropResponseAfterWrite;
  const left = knob?.[provider];
  if (!knob || !left) return reply;
  if (left <= 1) delete knob[provider];
  else knob[provider] = left - 1;
  return { ...reply, drop: true };
}

/** Parses a bounded integer query parameter; undefined when absent, null when invalid. */
export function intParam(value: string | null | undefined, min: number, max: number): number | undefined | null {
  if (value === null || value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

/** ISO 8601 / RFC 3339 timestamp → ms, or undefined. */
export function parseTimestamp(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

export const isoMs = (ms: number) => new Date(ms).toISOString();
