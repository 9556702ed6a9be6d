// The embedded outbox, read by the person the mail is addressed to (config.ts says when).
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/engine';
import { asService } from '../db/rls';
import { mailOutbox } from '../db/schema';
import type { MailKind } from './send';

export interface OutboxMail {
  id: string;
  kind: MailKind;
  subject: string;
  text: string;
  createdAt: Date;
  /** The links in the mail, in order (what a person clicks). */
  links: string[];
}

const LINK = /https?:\/\/[^\s<>"']+/g;

export function linksIn(text: string): string[] {
  return text.match(LINK) ?? [];
}

/**
 * Mail addressed to one address, newest first. Read on the service path: the outbox belongs to no
 * workspace, and the caller passes the signed-in person's own address.
 */
export async function listOutbox(db: Db, recipient: string, limit = 50): Promise<OutboxMail[]> {
  const rows = await asService(db, (tx) =>
    tx
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.recipient, recipient.trim().toLowerCase()))
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(limit),
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as MailKind,
    subject: row.subject,
    text: row.textBody,
    createdAt: row.createdAt,
    links: linksIn(row.textBody),
  }));
}
