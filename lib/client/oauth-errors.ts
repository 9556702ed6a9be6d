// The sentence for an OAuth callback failure (?oauth_error=&detail=), shared by the Integrations
// page banner and the /oauth/error page.
import { CALLBACK_MESSAGES } from '@/lib/oauth/callback-redirect';

export function oauthErrorMessage(reason: string): string {
  return (
    (CALLBACK_MESSAGES as Record<string, string | undefined>)[reason] ??
    'Connecting did not finish, so nothing was connected. Start the connection again.'
  );
}
