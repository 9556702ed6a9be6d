// The one seam every mail leaves through. SMTP_URL set: nodemailer delivers it. Otherwise it is
// kept in app_private.mail_outbox for the Outbox page (see config.ts for who may read it).
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { mailOutbox } from '../db/schema';
import { HttpError } from '../http/errors';
import { describeForLog } from '../http/route';
import { mailFrom, mailTransportKind, outboxVisible } from './config';

export type MailKind = 'verify_email' | 'sign_up_attempt' | 'invitation' | 'issue_opened' | 'issue_digest';

export interface MailMessage {
  to: string;
  kind: MailKind;
  subject: string;
  text: string;
  html: string;
}

const transporters = new Map<string, Transporter>();

function transporter(url: string): Transporter {
  let cached = transporters.get(url);
  if (!cached) {
    // Bounded waits: a mail server that hangs must not hold a sign-up request open for minutes.
    cached = nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transporters.set(url, cached);
  }
  return cached;
}

let warnedHiddenOutbox = false;

export async function sendMail(db: Db, message: MailMessage): Promise<{ delivery: 'smtp' | 'outbox' }> {
  const to = message.to.trim().toLowerCase();
  if (mailTransportKind() === 'smtp') {
    try {
      await transporter(process.env.SMTP_URL!).sendMail({
        from: mailFrom(),
        to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    } catch (error) {
      // The class and code only: an SMTP error's message can carry addresses and server replies.
      console.error(`mail (${message.kind}) could not be sent: ${describeForLog(error)}`);
      throw new HttpError('unavailable', 'The mail server did not accept the message. Try again in a moment.');
    }
    return { delivery: 'smtp' };
  }
  if (!outboxVisible() && !warnedHiddenOutbox) {
    warnedHiddenOutbox = true;
    console.warn('Integration Hub: SMTP_URL is not set, so mail is kept in the outbox, which production shows only with MAIL_OUTBOX=1. Set SMTP_URL to send mail.');
  }
  await asService(db, (tx) =>
    tx.insert(mailOutbox).values({
      recipient: to,
      kind: message.kind,
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html,
    }),
  );
  return { delivery: 'outbox' };
}
