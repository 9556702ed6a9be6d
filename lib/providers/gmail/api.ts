// Gmail API v1 (https://developers.google.com/workspace/gmail/api/reference/rest): the base URL,
// the scopes each part needs, and Google's error envelope. Requests go through the connection's
// ProviderClient, which sends them to the sandbox for sandbox connections.
import { z } from 'zod';

export const GMAIL_API = 'https://gmail.googleapis.com/gmail/v1/users/me';

/**
 * Scopes (https://developers.google.com/workspace/gmail/api/auth/scopes): readonly lists labels,
 * messages, threads and history and opens users.watch; send sends; compose creates drafts.
 */
export const GMAIL_READ_SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';
export const GMAIL_SEND_SCOPE = 'https://www.googleapis.com/auth/gmail.send';
export const GMAIL_COMPOSE_SCOPE = 'https://www.googleapis.com/auth/gmail.compose';

/** The headers a metadata listing asks for (format=metadata&metadataHeaders=…). */
export const METADATA_HEADERS = ['From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'In-Reply-To', 'References'] as const;

export const profileSchema = z.object({
  emailAddress: z.string().min(1),
  messagesTotal: z.number().int().optional(),
  threadsTotal: z.number().int().optional(),
  historyId: z.string().regex(/^\d+$/),
});

const googleError = z.object({ error: z.object({ message: z.string().optional(), status: z.string().optional() }) });

/** Google's `{ error: { code, message, status } }` as one sentence. */
export function describeGoogleError(body: unknown): string | undefined {
  const parsed = googleError.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, status } = parsed.data.error;
  return [status, message].filter(Boolean).join(': ') || undefined;
}
