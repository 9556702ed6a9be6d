// How provider failures are classified: the caller decides to retry, to ask for reauthorization,
// or to report, from the class alone.

/** An HTTP answer from a provider API outside 2xx. */
export class ProviderHttpError extends Error {
  constructor(
    readonly status: number,
    readonly providerMessage: string,
    readonly retryAfterSeconds?: number,
    /** The answer's headers, for providers that say more there (GitHub's x-ratelimit-*). */
    readonly headers?: Headers,
  ) {
    super(`Provider answered ${status}: ${providerMessage}`);
    this.name = 'ProviderHttpError';
  }

  get temporary(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The grant is dead (invalid_grant and kin): only a new authorization helps. */
export class ReauthorizationRequiredError extends Error {
  constructor(readonly reason: string) {
    super(`The provider refused our credentials (${reason}); reconnect the account.`);
    this.name = 'ReauthorizationRequiredError';
  }
}

/** Network failure, timeout, 5xx or 429 from an OAuth endpoint: worth retrying later. */
export class TemporaryProviderError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TemporaryProviderError';
  }
}

/** The provider answered something we cannot use (bad shape, disallowed host). */
export class ProviderProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderProtocolError';
  }
}

export const REAUTH_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied', 'invalid_token']);

/** The provider no longer accepts our incremental cursor (Google's 410): drop it, list everything. */
export class CursorExpiredError extends Error {
  constructor(message = 'The provider expired the incremental cursor; a full sync is required.') {
    super(message);
    this.name = 'CursorExpiredError';
  }
}
