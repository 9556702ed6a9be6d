import { Fragment } from 'react';
import type { OutboxMail as Mail } from '@/lib/mail/outbox';
import { formatDateTime } from '@/lib/client/format';

const LINK = /(https?:\/\/[^\s<>"']+)/g;

/** A kept mail as its plain text, with its links clickable. */
export function OutboxMail({ mail }: { mail: Mail }) {
  const parts = mail.text.split(LINK);
  return (
    <article aria-labelledby={`mail-${mail.id}`} className="rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <header className="border-b border-slate-200 px-5 py-3 dark:border-slate-800">
        <h2 id={`mail-${mail.id}`} className="text-base font-semibold text-slate-900 dark:text-slate-100">
          {mail.subject}
        </h2>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          <time dateTime={mail.createdAt.toISOString()}>{formatDateTime(mail.createdAt.toISOString())}</time>
        </p>
      </header>
      <div className="px-5 py-4 text-sm break-words whitespace-pre-wrap text-slate-800 dark:text-slate-200">
        {parts.map((part, index) =>
          index % 2 === 1 ? (
            <a key={index} href={part} className="font-medium break-all text-indigo-600 underline underline-offset-4 dark:text-indigo-400">
              {part}
            </a>
          ) : (
            <Fragment key={index}>{part}</Fragment>
          ),
        )}
      </div>
    </article>
  );
}
