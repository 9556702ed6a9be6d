// What an action handler throws when the provider's answer means something the caller can act on.
// Everything else a handler throws is classified by the runner: ProviderHttpError 429 →
// provider_rate_limited, ReauthorizationRequiredError → needs_reauth, any other provider failure →
// provider_error with the provider's message (redacted), a ZodError on a provider answer → provider_error.
import type { ErrorCode } from '../http/error-codes';

export type ActionErrorCode = Extract<ErrorCode, 'slot_unavailable' | 'not_found' | 'validation_failed' | 'action_not_supported' | 'conflict' | 'provider_error'>;

export class ActionError extends Error {
  constructor(
    readonly code: ActionErrorCode,
    message: string,
    /** For validation_failed: `[{ pointer: '/start', detail: '…' }]` (RFC 9457 style). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}
