// Errors that carry the HTTP status and a sentence a person can act on.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what = 'Not found') => new HttpError(404, what);
export const forbidden = (why: string) => new HttpError(403, why);
export const unauthorized = () => new HttpError(401, 'Sign in to continue.');
