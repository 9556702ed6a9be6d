// Where mail goes: an SMTP server when SMTP_URL is set (nodemailer), otherwise the outbox table,
// which the Outbox page shows to each signed-in person for their own address.
//
// The outbox is a stand-in for a mailbox so every mail flow can be tried with nothing installed.
// It proves nothing about who owns an address (whoever signs in as an address reads its mail), so
// outside development and tests it is shown only when MAIL_OUTBOX=1 says so; a production server
// should set SMTP_URL.
import { HttpError } from '../http/errors';

export type MailTransportKind = 'smtp' | 'outbox';

export function mailTransportKind(): MailTransportKind {
  return process.env.SMTP_URL ? 'smtp' : 'outbox';
}

/** Whether the Outbox page shows mail (only when mail is kept rather than sent). */
export function outboxVisible(): boolean {
  if (mailTransportKind() !== 'outbox') return false;
  return process.env.NODE_ENV !== 'production' || process.env.MAIL_OUTBOX === '1';
}

export function mailFrom(): string {
  return process.env.MAIL_FROM || 'Integration Hub <no-reply@integration-hub.invalid>';
}

/**
 * The base URL of links in mail: APP_URL when set. Without it, the request's own origin, except
 * for real mail from a production server: a link built from a request's Host header could point
 * anywhere the requester likes, and would carry its token there.
 */
export function mailLinkBase(request: Request): string {
  const configured = process.env.APP_URL;
  if (configured) return configured.replace(/\/+$/, '');
  if (process.env.NODE_ENV === 'production' && mailTransportKind() === 'smtp') {
    throw new HttpError('unavailable', 'Mail cannot be sent until APP_URL is set to this app’s public address.');
  }
  return new URL(request.url).origin;
}

/** For callers without a request (tests, scripts): APP_URL, else the development server. */
export function defaultLinkBase(): string {
  return (process.env.APP_URL || 'http://localhost:3000').replace(/\/+$/, '');
}
