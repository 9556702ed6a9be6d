// Secrets that verify app-level deliveries (one endpoint for every account of a provider): HubSpot
// signs with the app's client secret, Square with the subscription's signature key. Each secret
// belongs to an environment, and a delivery only routes to connections of the environment whose
// secret verified it, so the public sandbox secrets can never vouch for a live account.
import { envPrefix, liveCredentials, sandboxCredentials } from '../providers/credentials';
import type { Environment } from '../providers/environment';
import { sandboxBaseUrl } from '../providers/environment';
import type { ProviderDefinition } from '../providers/types';

/** The sandbox's Square signature key; tests/sandbox/webhooks.ts signs with the same constant. */
export const SANDBOX_SQUARE_SIGNATURE_KEY = 'sandbox-square-webhook-signature-key';

export interface AppSecret {
  environment: Environment;
  secret: string;
}

/** Live first; the sandbox's only where the sandbox is allowed (never in production). */
export function appSecretsFor(provider: ProviderDefinition): AppSecret[] {
  const secrets: AppSecret[] = [];
  const push = (environment: Environment, secret: string | null | undefined) => {
    if (secret) secrets.push({ environment, secret });
  };
  switch (provider.webhooks.scheme) {
    case 'hubspot-v3':
      push('live', liveCredentials(provider)?.clientSecret);
      push('sandbox', sandboxCredentials(provider)?.clientSecret);
      break;
    case 'square':
      push('live', process.env[`${envPrefix(provider.id)}_WEBHOOK_SIGNATURE_KEY`]);
      push('sandbox', sandboxBaseUrl() ? SANDBOX_SQUARE_SIGNATURE_KEY : null);
      break;
    default:
      break;
  }
  return secrets;
}

/**
 * Square signs the notification URL exactly as entered in its dashboard. When the URL the app
 * reconstructs could differ (proxies rewriting the host or path), set it verbatim.
 */
export function squareNotificationUrl(provider: ProviderDefinition): string | null {
  return process.env[`${envPrefix(provider.id)}_WEBHOOK_NOTIFICATION_URL`] || null;
}
