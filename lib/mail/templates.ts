// The app's mail, as plain text (what the Outbox shows) and simple HTML. Every value is escaped.
import type { MailMessage } from './send';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Body {
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer: string;
}

function render(to: string, kind: MailMessage['kind'], subject: string, body: Body): MailMessage {
  const text = [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((p) => [p, '']),
    ...(body.action ? [`${body.action.label}: ${body.action.url}`, ''] : []),
    body.footer,
  ].join('\n');
  const html = [
    '<div style="font-family: system-ui, sans-serif; font-size: 15px; line-height: 1.5; color: #0f172a">',
    `<p>${escapeHtml(body.greeting)}</p>`,
    ...body.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    body.action
      ? `<p><a href="${escapeHtml(body.action.url)}" style="display: inline-block; padding: 10px 16px; border-radius: 8px; background: #4f46e5; color: #fff; text-decoration: none">${escapeHtml(body.action.label)}</a></p>` +
        `<p style="font-size: 13px; color: #475569">Or open this link: ${escapeHtml(body.action.url)}</p>`
      : '',
    `<p style="font-size: 13px; color: #475569">${escapeHtml(body.footer)}</p>`,
    '</div>',
  ].join('\n');
  return { to, kind, subject, text, html };
}

export function verificationMail(to: string, url: string, hours: number): MailMessage {
  return render(to, 'verify_email', 'Verify your email address for Integration Hub', {
    greeting: 'Hello,',
    paragraphs: [
      `Someone created an Integration Hub account with ${to}. If it was you, verify the address so invitations to it can be accepted.`,
      `The link works once, for ${hours} hours.`,
    ],
    action: { label: 'Verify email address', url },
    footer: 'If you did not create this account, ignore this mail: an unverified address grants nothing.',
  });
}

export function signUpAttemptMail(to: string, signInUrl: string): MailMessage {
  return render(to, 'sign_up_attempt', 'Someone tried to sign up with your address', {
    greeting: 'Hello,',
    paragraphs: [
      `Someone just tried to create an Integration Hub account with ${to}, but an account with this address already exists. No new account was made and nothing about yours changed.`,
      'If it was you, sign in with your existing account instead.',
    ],
    action: { label: 'Sign in', url: signInUrl },
    footer: 'If it was not you, you can ignore this mail.',
  });
}

export function invitationMail(
  to: string,
  invitation: { workspaceName: string; role: string; inviterEmail: string; url: string; days: number },
): MailMessage {
  return render(to, 'invitation', `You are invited to ${invitation.workspaceName} on Integration Hub`, {
    greeting: 'Hello,',
    paragraphs: [
      `${invitation.inviterEmail} invited ${to} to join the workspace “${invitation.workspaceName}” as ${invitation.role}.`,
      `Open the link, sign in (or create an account) with ${to}, verify the address if you have not yet, and accept. The link works once, for ${invitation.days} days.`,
    ],
    action: { label: 'View invitation', url: invitation.url },
    footer: 'If you were not expecting this, ignore this mail: nothing happens until the invitation is accepted.',
  });
}

const SEVERITY_WORD = { critical: 'Critical', warning: 'Warning', info: 'Heads-up' } as const;

export interface IssueForMail {
  severity: keyof typeof SEVERITY_WORD;
  title: string;
  explanation: string;
  /** What fixes it ("Reconnect") and the absolute link to where it is done. */
  fixLabel: string;
  url: string;
}

/** One issue that just opened (lib/notifications/notify.ts). */
export function issueOpenedMail(to: string, mail: { workspaceName: string; issue: IssueForMail; preferencesUrl: string }): MailMessage {
  const { issue } = mail;
  return render(to, 'issue_opened', `${SEVERITY_WORD[issue.severity]}: ${issue.title} (${mail.workspaceName})`, {
    greeting: 'Hello,',
    paragraphs: [`Something needs attention in the workspace “${mail.workspaceName}”: ${issue.title}.`, issue.explanation],
    action: { label: issue.fixLabel, url: issue.url },
    footer: `You get this mail because your notification settings in “${mail.workspaceName}” ask for it. Change them here: ${mail.preferencesUrl}`,
  });
}

/** The daily digest: every issue opened since the member's last digest (lib/notifications/digest.ts). */
export function issueDigestMail(to: string, mail: { workspaceName: string; issues: IssueForMail[]; preferencesUrl: string }): MailMessage {
  const count = mail.issues.length;
  return render(to, 'issue_digest', `${count} new ${count === 1 ? 'issue' : 'issues'} in ${mail.workspaceName} (daily digest)`, {
    greeting: 'Hello,',
    paragraphs: [
      `${count === 1 ? 'One issue' : `${count} issues`} opened in the workspace “${mail.workspaceName}” since your last digest:`,
      ...mail.issues.map((issue, i) => `${i + 1}. ${SEVERITY_WORD[issue.severity]}: ${issue.title}. ${issue.explanation} ${issue.fixLabel}: ${issue.url}`),
    ],
    footer: `You get one digest a day when something happened; change how you are notified here: ${mail.preferencesUrl}`,
  });
}
