// One sentence for an admin about why a provider call failed, never containing a secret.
import { ZodError } from 'zod';
import { EnvelopeError } from '../crypto/envelope';
import {
  ProviderHttpError,
  ProviderProtocolError,
  ReauthorizationRequiredError,
  TemporaryProviderError,
} from '../providers/errors';

export function describeFailure(error: unknown): string {
  if (error instanceof ProviderHttpError) {
    if (error.status === 401) return `the provider rejected the access token (401: ${error.providerMessage})`;
    if (error.status === 403) return `the account lacks permission (403: ${error.providerMessage})`;
    return `the provider answered ${error.status}: ${error.providerMessage}`;
  }
  if (error instanceof ReauthorizationRequiredError || error instanceof TemporaryProviderError || error instanceof ProviderProtocolError) {
    return error.message;
  }
  if (error instanceof EnvelopeError) return `stored credentials could not be decrypted (${error.message})`;
  if (error instanceof ZodError) return 'the provider answered with an unexpected shape';
  return 'an unexpected error occurred';
}
