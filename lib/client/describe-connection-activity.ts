// Sentences for connection.* activity entries ("ana@x.com connected a provider (acme.example.com)").
import { CALLBACK_MESSAGES } from '@/lib/oauth/callback-redirect';
import { providerName, REVOCATION_LABELS } from './connections';
import type { Revocation } from './types';

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** The sentence for a connection action, or null when the action is not one of ours. */
export function describeConnectionAction(action: string, actor: string, d: Record<string, unknown>): string | null {
  const name = providerName(d);
  const account = text(d.account);
  const withAccount = account ? `${name} (${account})` : name;
  const reason = text(d.reason);
  switch (action) {
    case 'connection.connected':
    case 'connection.reconnected': {
      const verb = action === 'connection.connected' ? 'connected' : 'reconnected';
      const failed = d.status === 'error' && reason ? `, but its connection test failed: ${reason}` : '';
      return `${actor} ${verb} ${withAccount}${failed}`;
    }
    case 'connection.disconnected': {
      if (d.revocation === 'failed') {
        const why = reason ? `: ${reason}` : '';
        return `${actor} disconnected ${name} (revoking at the provider failed${why}; our copy of the credentials was deleted)`;
      }
      const revocation = REVOCATION_LABELS[text(d.revocation) as Revocation];
      return `${actor} disconnected ${name}${revocation ? ` (${revocation})` : ''}`;
    }
    case 'connection.paused':
      return `${actor} paused ${withAccount}`;
    case 'connection.resumed':
      return `${actor} resumed ${withAccount}`;
    case 'connection.test_passed':
      return account ? `${actor} tested ${name}: connected as ${account}` : `${actor} tested ${name}: it works`;
    case 'connection.test_failed':
      return `${actor} tested ${name}, and the test failed${reason ? `: ${reason}` : ''}`;
    case 'connection.needs_reauth':
      return `${name} needs to be reconnected${reason ? `: ${reason}` : ''}`;
    case 'connection.authorization_denied':
      return `${actor} tried to connect ${name}, but access was denied at ${name}`;
    case 'connection.authorization_failed':
      return `${actor} could not connect ${name}: ${failureText(reason, text(d.detail))}`;
    default:
      return null;
  }
}

function failureText(reason: string, detail: string): string {
  const message = (CALLBACK_MESSAGES as Record<string, string>)[reason] ?? (reason ? reason.replace(/_/g, ' ') : 'unknown error');
  // Only the first sentence: the rest ("Start the connection again.") speaks to the person at the time.
  const first = message.split(/(?<=\.)\s/)[0].replace(/\.$/, '');
  const sentence = first.charAt(0).toLowerCase() + first.slice(1);
  return detail ? `${sentence} (${detail})` : sentence;
}
